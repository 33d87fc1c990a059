#!/bin/sh
# Regenerates the JPEG fixtures. Needs: libjpeg-turbo-progs, imagemagick,
# libimage-exiftool-perl (Debian). Run from this directory: sh make.sh
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Deterministic photo-like sources at odd sizes.
convert -size 97x61 -seed 7 plasma:fractal -blur 0x1 "$tmp/src.ppm"
convert -size 65x47 -seed 11 plasma:fractal -blur 0x1 "$tmp/small.ppm"
convert "$tmp/src.ppm" -colorspace Gray "$tmp/src.pgm"

# Sequential with various sampling factors (Y HxV, chroma 1x1).
cjpeg -quality 85 -sample 1x1 "$tmp/src.ppm" > seq444.jpg
cjpeg -quality 85 -sample 2x1 "$tmp/src.ppm" > seq422.jpg
cjpeg -quality 85 -sample 1x2 "$tmp/src.ppm" > seq440.jpg
cjpeg -quality 85 -sample 4x1 "$tmp/src.ppm" > seq411.jpg
cjpeg -quality 85 -sample 4x2 "$tmp/src.ppm" > seq410.jpg
# Unusual factors: no image.YCbCrSubsampleRatio matches, so RGBA output.
cjpeg -quality 85 -sample 3x1 "$tmp/small.ppm" > seq_unusual.jpg
cjpeg -quality 85 -sample 2x2,1x1,2x1 "$tmp/small.ppm" > seq_mixed.jpg
cjpeg -quality 85 -sample 1x1,2x2,1x1 "$tmp/small.ppm" > seq_chromabig.jpg

# Progressive (default libjpeg script: spectral selection + successive
# approximation with DC/AC refinement scans and EOB runs).
cjpeg -quality 90 -sample 1x1 -progressive "$tmp/src.ppm" > prog444.jpg
cjpeg -quality 90 -progressive "$tmp/src.ppm" > prog420.jpg
cjpeg -quality 90 -grayscale -progressive "$tmp/src.ppm" > proggray.jpg
# Lossless transcodes: same coefficients as their sources, so they must
# decode identically (image/jpeg cannot read progressive+restart).
jpegtran -progressive -restart 3B seq422.jpg > prog422_restart.jpg
jpegtran -progressive seq_mixed.jpg > prog_mixed.jpg
# A custom script: separate DC scans, DC successive approximation over
# several refinement scans, single-coefficient and split AC bands.
cat > "$tmp/scans.txt" <<'SCANS'
0: 0 0 0 3;
1: 0 0 0 2;
2: 0 0 0 0;
0: 1 1 0 2;
0: 2 63 0 2;
0: 0 0 3 2;
1: 0 0 2 1;
0: 1 63 2 1;
0: 0 0 2 1;
0: 0 0 1 0;
1: 0 0 1 0;
0: 1 63 1 0;
1: 1 63 0 0;
2: 1 20 0 0;
2: 21 63 0 0;
SCANS
jpegtran -scans "$tmp/scans.txt" seq444.jpg > prog_custom.jpg

# Restart intervals in sequential files: every 3 MCUs, and every MCU row.
cjpeg -quality 85 -restart 3B "$tmp/src.ppm" > restart3b.jpg
cjpeg -quality 85 -grayscale -restart 1 "$tmp/src.ppm" > restart_gray.jpg
jpegtran -restart 1B seq444.jpg > restart1b_444.jpg

# Grey baseline and optimised Huffman tables.
cjpeg -quality 80 -optimize "$tmp/src.pgm" > gray_opt.jpg

# ImageMagick writes CMYK as YCCK (Adobe APP14 transform 2, inverted CMYK).
# Plain CMYK (transform 0) files are generated in code by the tests.
convert "$tmp/small.ppm" -colorspace CMYK -quality 90 ycck.jpg

# Arithmetic coding: must be rejected as unsupported.
jpegtran -arithmetic seq444.jpg > arith.jpg

# EXIF orientation 6 (rotate 90 CW) and an embedded JPEG thumbnail (its
# SOI/EOI markers sit inside APP1), written by exiftool.
convert "$tmp/small.ppm" -resize 16x12 "$tmp/thumb.ppm"
cjpeg -quality 50 "$tmp/thumb.ppm" > "$tmp/thumb.jpg"
cp seq422.jpg exif6.jpg
exiftool -q -overwrite_original -n -Orientation=6 "-ThumbnailImage<=$tmp/thumb.jpg" exif6.jpg

# Reference decodes for sampling layouts image/jpeg cannot decode; -nosmooth
# selects plain sample replication, as this package does for RGBA output.
for f in seq_unusual seq_mixed seq_chromabig; do
	djpeg -nosmooth -dct int $f.jpg > $f.ppm
done
