package quality

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"strconv"
	"sync/atomic"
	"time"
)

// Scores selects which scores an answer carries: the API's enable_clarity,
// enable_aesthetics and enable_lowquality switches.
type Scores struct{ Clarity, Aesthetic, LowQuality bool }

// AllScores is the default answer: every score.
var AllScores = Scores{Clarity: true, Aesthetic: true, LowQuality: true}

// ResponseXML renders the exact body Cloud Infinite returns for AssessQuality: booleans
// as TRUE/FALSE, integer scores, a RequestId. The details never appear here.
func (r Result) ResponseXML(requestID string) []byte { return r.ResponseXMLFor(requestID, AllScores) }

// ResponseXMLFor is ResponseXML with only the selected scores; a score that was not asked
// for is left out rather than reported as 0, so it cannot be mistaken for a bad score.
func (r Result) ResponseXMLFor(requestID string, want Scores) []byte {
	var b bytes.Buffer
	b.WriteString("<Response>\n")
	for _, f := range []struct {
		name string
		val  string
		show bool
	}{
		{"LongImage", word(r.LongImage), true},
		{"BlackAndWhite", word(r.BlackAndWhite), true},
		{"SmallImage", word(r.SmallImage), true},
		{"BigImage", word(r.BigImage), true},
		{"PureImage", word(r.PureImage), true},
		{"ClarityScore", itoa(r.ClarityScore), want.Clarity},
		{"AestheticScore", itoa(r.AestheticScore), want.Aesthetic},
		{"LowQualityScore", itoa(r.LowQualityScore), want.LowQuality},
		{"RequestId", escape(requestID), true},
	} {
		if f.show {
			b.WriteString("    <" + f.name + ">" + f.val + "</" + f.name + ">\n")
		}
	}
	b.WriteString("</Response>\n")
	return b.Bytes()
}

// ErrorXML renders a failure in the common COS error body.
func ErrorXML(code, message, resource, requestID string) []byte {
	var b bytes.Buffer
	b.WriteString("<Error>\n")
	for _, f := range [][2]string{{"Code", code}, {"Message", message}, {"Resource", resource}, {"RequestId", requestID}} {
		b.WriteString("    <" + f[0] + ">" + escape(f[1]) + "</" + f[0] + ">\n")
	}
	b.WriteString("</Error>\n")
	return b.Bytes()
}

func word(v bool) string {
	if v {
		return "TRUE"
	}
	return "FALSE"
}

func itoa(v int) string { return strconv.Itoa(v) }

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writing to memory cannot fail
	return b.String()
}

var requestSeq atomic.Uint64

// NewRequestID returns an identifier unique per call, shaped like COS's (base64 of time,
// a sequence number and randomness), so that logs can trace one answer.
func NewRequestID() string {
	var raw [20]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(time.Now().UnixNano()))
	binary.BigEndian.PutUint32(raw[8:12], uint32(requestSeq.Add(1)))
	_, _ = rand.Read(raw[12:]) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(raw[:])
}
