// Package jpegdec is a pure-Go baseline and progressive JPEG decoder (ITU-T
// T.81) that can decode directly at 1/2, 1/4 or 1/8 scale in the DCT
// domain, so a quality scorer never materialises full-size pixels.
//
// Supported: Huffman-coded sequential (SOF0, SOF1) and progressive (SOF2)
// 8-bit frames with 1, 3 or 4 components, any sampling factors 1..4,
// restart intervals, interleaved and non-interleaved scans. Not supported
// (ErrUnsupported): arithmetic coding, lossless, hierarchical, 12-bit
// samples, 2 or more than 4 components, DNL-defined heights.
//
// At scale 1/d each 8x8 block becomes an (8/d)x(8/d) block through a
// reduced IDCT of its low-frequency coefficients (the DC alone at 1/8).
// Sequential frames never keep coefficients; progressive frames keep, per
// block, a non-zero bit mask plus only the coefficients the output scale
// needs. Memory is the output planes (W*H bytes per full-resolution
// component at 1/1, divided by d*d) plus 10..136 bytes per block for
// progressive frames; Options.MaxPixels bounds it.
package jpegdec

import (
	"image"
)

// Header is what the markers before the first scan say; no entropy decoding.
type Header struct {
	Width, Height  int
	Components     int           // 1, 3 or 4
	Progressive    bool          // SOF2
	Adobe          bool          // APP14 Adobe present
	AdobeTransform int           // 0 (RGB/CMYK), 1 (YCbCr), 2 (YCCK)
	QuantTables    [4][64]uint16 // natural (row-major) order, not zigzag
	QuantPresent   [4]bool
	ComponentQuant []int // quant table index per component, in frame order
	HSamp, VSamp   []int // sampling factors per component
	Orientation    int   // EXIF orientation 1..8 (1 when absent or invalid)
	HasEXIF        bool
}

// Options controls Decode.
type Options struct {
	Denom     int   // 1, 2, 4 or 8; anything else is an error
	MaxPixels int64 // refuse (ErrTooLarge) if Width*Height exceeds it; 0 = no limit
}

// component is the decoder's per-component state.
type component struct {
	id, h, v, tq int
	// bw x bh blocks are allocated: whole MCUs, enough for interleaved scans.
	bw, bh int
	// nbw x nbh blocks cover the component itself: the block grid of a
	// non-interleaved scan.
	nbw, nbh int
	q        [64]int32 // dequantization table in zigzag order, latched at first use
	latched  bool
	plane    []byte // output samples at the reduced scale, bw*s x bh*s
	stride   int
	// Progressive state per block: nz has bit k set when zigzag coefficient k
	// is non-zero (all that refinement decoding needs to know), coef keeps
	// the values of the first cs zigzag coefficients, those the IDCT at the
	// requested scale reads.
	nz   []uint64
	coef []int16
	cs   int
	pred int32 // DC predictor
	done bool  // sequential: a scan covered it; progressive: DC first scan seen
	// final has bit k set when coefficient k's latest progressive scan
	// delivered its last bit (Al = 0).
	final uint64
}

type decoder struct {
	data []byte
	pos  int
	hdr  Header

	denom, scale int // scale = 8/denom output pixels per block side
	maxPixels    int64
	headerOnly   bool

	frame       bool
	progressive bool
	scanned     bool // a scan header was seen (Header is frozen)
	jfif        bool
	comps       []component
	hmax, vmax  int
	mcusX       int
	mcusY       int
	ri          int // restart interval in MCUs

	qt     [4][64]uint16 // natural order
	qtOK   [4]bool
	tabs   *huffTables // allocated on the first DHT when decoding
	dcOK   [4]bool
	acOK   [4]bool
	br     bitReader
	eobrun int32
	blk    [64]int32
}

// huffTables holds the four DC and four AC table slots.
type huffTables struct {
	dc, ac [4]huffTable
}

// DecodeHeader parses the markers up to the first scan.
func DecodeHeader(data []byte) (Header, error) {
	d := &decoder{data: data, headerOnly: true}
	err := d.run()
	return d.header(), err
}

// Decode decodes data at 1/opt.Denom scale. It returns an image of size
// ceil(W/Denom) x ceil(H/Denom): *image.Gray for one component,
// *image.YCbCr for YCbCr with a standard subsampling ratio (planes at their
// reduced native resolution), otherwise an opaque *image.RGBA (Adobe RGB,
// CMYK and YCCK, taken as Adobe-inverted CMYK, and unusual sampling). Gray
// and YCbCr planes are MCU-padded: strides may exceed the width. EXIF
// orientation is reported in the Header, not applied.
func Decode(data []byte, opt Options) (image.Image, Header, error) {
	switch opt.Denom {
	case 1, 2, 4, 8:
	default:
		return nil, Header{}, ErrInvalidOptions
	}
	d := &decoder{data: data, denom: opt.Denom, scale: 8 / opt.Denom, maxPixels: opt.MaxPixels}
	if err := d.run(); err != nil {
		return nil, d.header(), err
	}
	img, err := d.buildImage()
	if err != nil {
		return nil, d.header(), err
	}
	return img, d.header(), nil
}

func (d *decoder) header() Header {
	h := d.hdr
	if h.Orientation < 1 || h.Orientation > 8 {
		h.Orientation = 1
	}
	return h
}

// run walks the marker segments (B.2) and decodes every scan.
func (d *decoder) run() error {
	data := d.data
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return ErrNotJPEG
	}
	d.pos = 2
	for {
		p := findSegmentMarker(data, d.pos)
		if p+1 >= len(data) {
			return d.finish(false)
		}
		m := data[p+1]
		d.pos = p + 2
		switch {
		case m == 0xD9: // EOI
			return d.finish(true)
		case m == 0xD8:
			return formatErr("unexpected SOI marker")
		case m >= 0xD0 && m <= 0xD7, m == 0x01:
			continue // stray RSTn or TEM: no payload
		}
		if d.pos+2 > len(data) {
			return ErrTruncated
		}
		length := int(data[d.pos])<<8 | int(data[d.pos+1])
		if length < 2 {
			return formatErr("bad marker segment length")
		}
		end := d.pos + length
		if end > len(data) {
			return ErrTruncated
		}
		seg := data[d.pos+2 : end]
		d.pos = end
		var err error
		switch {
		case m == 0xC0 || m == 0xC1 || m == 0xC2:
			err = d.parseSOF(seg, m == 0xC2)
		case m == 0xC3:
			err = unsupported("lossless (SOF3)")
		case m == 0xC5 || m == 0xC6 || m == 0xC7:
			err = unsupported("hierarchical (differential SOF)")
		case m >= 0xC9 && m <= 0xCF && m != 0xCC:
			err = unsupported("arithmetic coding")
		case m == 0xDE || m == 0xDF:
			err = unsupported("hierarchical (DHP/EXP)")
		case m == 0xC4:
			err = d.parseDHT(seg)
		case m == 0xDB:
			err = d.parseDQT(seg)
		case m == 0xDD:
			err = d.parseDRI(seg)
		case m == 0xE1:
			d.parseAPP1(seg)
		case m == 0xE0:
			d.parseAPP0(seg)
		case m == 0xEE:
			d.parseAPP14(seg)
		case m == 0xDA:
			if !d.frame {
				return formatErr("SOS before SOF")
			}
			if d.headerOnly {
				return nil
			}
			d.scanned = true
			err = d.parseAndDecodeScan(seg)
		}
		// Everything else (other APPn, COM, DAC, DNL, JPGn) is skipped.
		if err != nil {
			return err
		}
	}
}

// findSegmentMarker returns the index of the 0xFF introducing the next
// marker at or after pos. Stray bytes between segments are skipped, as
// lenient decoders do.
func findSegmentMarker(data []byte, pos int) int {
	for i := pos; i+1 < len(data); i++ {
		if data[i] == 0xFF && data[i+1] != 0xFF && data[i+1] != 0x00 {
			return i
		}
	}
	return len(data)
}

// finish runs when EOI or the end of data is reached.
func (d *decoder) finish(sawEOI bool) error {
	if !d.frame {
		if sawEOI {
			return formatErr("missing SOF marker")
		}
		return ErrTruncated
	}
	if d.headerOnly {
		return ErrTruncated // frame known but no scan before the data ended
	}
	for i := range d.comps {
		c := &d.comps[i]
		// Without EOI a progressive file is only known to be complete when
		// every coefficient has received its final bit; otherwise it may
		// have been cut between scans.
		if !c.done || d.progressive && !sawEOI && c.final != ^uint64(0) {
			return ErrTruncated
		}
	}
	if d.progressive {
		d.progressiveIDCT()
	}
	return nil
}
