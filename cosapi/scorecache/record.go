package scorecache

import (
	"bytes"
	"encoding/json"
	"errors"
)

// record is one line of the cache file. Short names keep a file of many thousand scores small.
// A value that is compact JSON (what lightbox stores) is kept as is, so the file stays readable
// with jq; any other bytes go base64 in X, so Get always returns exactly what Put was given.
type record struct {
	Endpoint string          `json:"e,omitempty"`
	Bucket   string          `json:"b"`
	Object   string          `json:"o"`
	ETag     string          `json:"t"`
	Value    json.RawMessage `json:"v,omitempty"`
	Bytes    []byte          `json:"x,omitempty"`
	Forget   bool            `json:"f,omitempty"` // the score for this ETag was dropped
}

var errBadRecord = errors.New("scorecache: record without bucket, object or ETag")

func encodeRecord(k Key, value []byte, forget bool) ([]byte, error) {
	r := record{Endpoint: k.Endpoint, Bucket: k.Bucket, Object: k.Object, ETag: k.ETag, Forget: forget}
	if isCompactJSON(value) {
		r.Value = value
	} else {
		r.Bytes = value
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Escaping <, > and & would change the bytes of a raw value and so what Get returns.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func decodeRecord(p []byte) (Key, []byte, bool, error) {
	var r record
	if err := json.Unmarshal(p, &r); err != nil {
		return Key{}, nil, false, err
	}
	k := Key{Endpoint: r.Endpoint, Bucket: r.Bucket, Object: r.Object, ETag: r.ETag}
	if k.check() != nil {
		return Key{}, nil, false, errBadRecord
	}
	value := []byte(r.Value)
	if value == nil {
		value = r.Bytes
	}
	return k, value, r.Forget, nil
}

// isCompactJSON reports whether v is valid JSON without insignificant spaces: only then does it
// survive being embedded in a record byte for byte.
func isCompactJSON(v []byte) bool {
	if len(v) == 0 || !json.Valid(v) {
		return false
	}
	var c bytes.Buffer
	if json.Compact(&c, v) != nil {
		return false
	}
	return bytes.Equal(c.Bytes(), v)
}
