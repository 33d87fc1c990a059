package quality

import "bytes"

// format is what the leading bytes say the file is; the file name is never consulted.
type format int

const (
	formatUnknown format = iota
	formatJPEG
	formatPNG
	formatGIF
	formatWebP
	formatBMP
	formatTIFF
	formatHEIF
	formatAVIF
)

var formatNames = map[format]string{
	formatJPEG: "JPEG", formatPNG: "PNG", formatGIF: "GIF", formatWebP: "WebP",
	formatBMP: "BMP", formatTIFF: "TIFF", formatHEIF: "HEIF/HEIC", formatAVIF: "AVIF",
}

func (f format) String() string {
	if n, ok := formatNames[f]; ok {
		return n
	}
	return "unknown"
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// jpegSOI is the start-of-image marker alone: a JPEG cut before its first segment.
var jpegSOI = []byte{0xFF, 0xD8}

func sniff(b []byte) format {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return formatJPEG
	case bytes.HasPrefix(b, pngSignature):
		return formatPNG
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return formatGIF
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return formatWebP
	case bytes.HasPrefix(b, []byte("BM")) && len(b) >= 14:
		return formatBMP
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return formatTIFF
	case len(b) >= 12 && bytes.Equal(b[4:8], []byte("ftyp")):
		brand := string(b[8:12])
		if brand == "avif" || brand == "avis" {
			return formatAVIF
		}
		if brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1" || brand == "heim" || brand == "heis" || brand == "hevc" {
			return formatHEIF
		}
	}
	return formatUnknown
}
