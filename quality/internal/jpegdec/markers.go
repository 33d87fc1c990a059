package jpegdec

import (
	"encoding/binary"

	"lightbox/internal/exif"
)

// parseSOF reads a frame header (B.2.2), validates it and, when decoding,
// allocates the output planes (and coefficient storage for progressive
// frames) only after the size limit and a data-length plausibility check.
func (d *decoder) parseSOF(seg []byte, progressive bool) error {
	if d.frame {
		return formatErr("multiple SOF markers")
	}
	if len(seg) < 6 {
		return formatErr("short SOF segment")
	}
	switch seg[0] {
	case 8:
	case 12:
		return unsupported("12-bit precision")
	default:
		return formatErr("bad sample precision")
	}
	height := int(seg[1])<<8 | int(seg[2])
	width := int(seg[3])<<8 | int(seg[4])
	nf := int(seg[5])
	if width == 0 || height == 0 {
		return formatErr("zero image dimension (DNL is not supported)")
	}
	switch {
	case nf == 0:
		return formatErr("no components")
	case nf == 2:
		return unsupported("2-component images")
	case nf > 4:
		return unsupported("more than 4 components")
	}
	if len(seg) < 6+3*nf {
		return formatErr("short SOF segment")
	}
	h := &d.hdr
	h.Width, h.Height, h.Components, h.Progressive = width, height, nf, progressive
	h.ComponentQuant = make([]int, nf)
	h.HSamp = make([]int, nf)
	h.VSamp = make([]int, nf)
	d.comps = make([]component, nf)
	d.hmax, d.vmax = 1, 1
	for i := 0; i < nf; i++ {
		b := seg[6+3*i:]
		c := &d.comps[i]
		c.id, c.h, c.v, c.tq = int(b[0]), int(b[1]>>4), int(b[1]&15), int(b[2])
		h.ComponentQuant[i], h.HSamp[i], h.VSamp[i] = c.tq, c.h, c.v
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return formatErr("bad sampling factor")
		}
		if c.tq > 3 {
			return formatErr("bad quantization table index")
		}
		for j := 0; j < i; j++ {
			if d.comps[j].id == c.id {
				return formatErr("duplicate component id")
			}
		}
		if nf == 1 {
			// A single component is always coded non-interleaved, so its
			// sampling factors have no effect (A.2.2).
			c.h, c.v = 1, 1
		}
		d.hmax, d.vmax = max(d.hmax, c.h), max(d.vmax, c.v)
	}
	d.frame = true
	d.progressive = progressive
	d.mcusX = ceilDiv(width, 8*d.hmax)
	d.mcusY = ceilDiv(height, 8*d.vmax)
	minBits := int64(0)
	for i := range d.comps {
		c := &d.comps[i]
		c.bw, c.bh = d.mcusX*c.h, d.mcusY*c.v
		c.nbw = ceilDiv(ceilDiv(width*c.h, d.hmax), 8)
		c.nbh = ceilDiv(ceilDiv(height*c.v, d.vmax), 8)
		minBits += int64(c.nbw) * int64(c.nbh)
	}
	if d.headerOnly {
		return nil
	}
	if d.maxPixels > 0 && int64(width)*int64(height) > d.maxPixels {
		return ErrTooLarge
	}
	// Every block costs at least one bit of entropy-coded data (its DC
	// code in the first scan that covers it), so a file shorter than that
	// cannot be complete; reject it before allocating anything sized by the
	// header.
	if int64(len(d.data))*8 < minBits {
		return ErrTruncated
	}
	s := d.scale
	for i := range d.comps {
		c := &d.comps[i]
		c.stride = c.bw * s
		c.plane = make([]byte, c.stride*c.bh*s)
		if progressive {
			c.cs = zigzagLimit[d.denom] + 1
			c.coef = make([]int16, c.bw*c.bh*c.cs)
			c.nz = make([]uint64, c.bw*c.bh)
		}
	}
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// parseDQT reads quantization tables (B.2.4.1), 8- or 16-bit.
func (d *decoder) parseDQT(seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, int(seg[0]&15)
		if tq > 3 || pq > 1 {
			return formatErr("bad DQT table")
		}
		seg = seg[1:]
		size := 64 * (int(pq) + 1)
		if len(seg) < size {
			return formatErr("short DQT segment")
		}
		var t [64]uint16
		for k := 0; k < 64; k++ {
			v := uint16(seg[k])
			if pq == 1 {
				v = binary.BigEndian.Uint16(seg[2*k:])
			}
			t[zigzag[k]] = v
		}
		seg = seg[size:]
		d.qt[tq], d.qtOK[tq] = t, true
		if !d.scanned {
			d.hdr.QuantTables[tq], d.hdr.QuantPresent[tq] = t, true
		}
	}
	return nil
}

// parseDHT reads one or more Huffman tables (B.2.4.2).
func (d *decoder) parseDHT(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return formatErr("short DHT segment")
		}
		tc, th := seg[0]>>4, int(seg[0]&15)
		if tc > 1 || th > 3 {
			return formatErr("bad DHT table class or index")
		}
		var counts [16]uint8
		copy(counts[:], seg[1:17])
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		seg = seg[17:]
		if len(seg) < total {
			return formatErr("short DHT segment")
		}
		if total == 0 || total > 256 {
			return formatErr("bad Huffman table size")
		}
		vals := seg[:total]
		seg = seg[total:]
		if d.headerOnly {
			continue // tables are only needed for entropy decoding
		}
		if d.tabs == nil {
			d.tabs = new(huffTables)
		}
		var err error
		if tc == 0 {
			err = d.tabs.dc[th].build(&counts, vals, true)
			d.dcOK[th] = err == nil
		} else {
			err = d.tabs.ac[th].build(&counts, vals, false)
			d.acOK[th] = err == nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseDRI reads the restart interval (B.2.4.4).
func (d *decoder) parseDRI(seg []byte) error {
	if len(seg) != 2 {
		return formatErr("bad DRI segment length")
	}
	d.ri = int(seg[0])<<8 | int(seg[1])
	return nil
}

// parseAPP0 notes a JFIF marker: it rules out component-id based RGB
// detection.
func (d *decoder) parseAPP0(seg []byte) {
	if len(seg) >= 5 && string(seg[:5]) == "JFIF\x00" {
		d.jfif = true
	}
}

// parseAPP14 reads Adobe's colour transform flag.
func (d *decoder) parseAPP14(seg []byte) {
	if d.scanned || len(seg) < 12 || string(seg[:5]) != "Adobe" {
		return
	}
	d.hdr.Adobe = true
	d.hdr.AdobeTransform = int(seg[11])
}

// parseAPP1 extracts the EXIF orientation (TIFF tag 0x0112 in IFD0).
// Malformed EXIF is ignored: it never makes the image undecodable.
func (d *decoder) parseAPP1(seg []byte) {
	if d.scanned || len(seg) < 6 || string(seg[:6]) != "Exif\x00\x00" {
		return
	}
	d.hdr.HasEXIF = true
	if o, ok := exif.Orientation(seg[6:]); ok {
		d.hdr.Orientation = o
	}
}
