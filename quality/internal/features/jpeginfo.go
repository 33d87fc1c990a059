package features

import "lightbox/quality/internal/jpegdec"

// JPEGInfoFromHeader takes what the compression features need from a decoded JPEG header:
// the first component's table is the luma one, the second component's the chroma one.
func JPEGInfoFromHeader(h jpegdec.Header) *JPEGInfo {
	info := &JPEGInfo{Progressive: h.Progressive}
	if len(h.ComponentQuant) > 0 && h.QuantPresent[h.ComponentQuant[0]] {
		info.LumaQuant = h.QuantTables[h.ComponentQuant[0]]
	}
	if len(h.ComponentQuant) > 1 && h.QuantPresent[h.ComponentQuant[1]] {
		info.ChromaQuant = h.QuantTables[h.ComponentQuant[1]]
		info.HasChroma = true
	}
	return info
}
