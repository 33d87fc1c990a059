package jpegdec

import "flag"

var benchSizeFlag = flag.Bool("benchsize", false, "log the size of the benchmark JPEG")
