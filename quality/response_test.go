package quality

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestResponseXMLIsTheAPIsBody(t *testing.T) {
	r := Result{BigImage: true, ClarityScore: 89, AestheticScore: 70, LowQualityScore: 40, Details: Details{Blur: 3}}
	got := string(r.ResponseXML("NTk0MjdmODlfMjQ4OGY3XzYzYzhf****"))
	want := `<Response>
    <LongImage>FALSE</LongImage>
    <BlackAndWhite>FALSE</BlackAndWhite>
    <SmallImage>FALSE</SmallImage>
    <BigImage>TRUE</BigImage>
    <PureImage>FALSE</PureImage>
    <ClarityScore>89</ClarityScore>
    <AestheticScore>70</AestheticScore>
    <LowQualityScore>40</LowQualityScore>
    <RequestId>NTk0MjdmODlfMjQ4OGY3XzYzYzhf****</RequestId>
</Response>
`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	var parsed struct {
		XMLName      xml.Name `xml:"Response"`
		ClarityScore int
	}
	if err := xml.Unmarshal([]byte(got), &parsed); err != nil || parsed.ClarityScore != 89 {
		t.Fatalf("body does not parse back: %v %+v", err, parsed)
	}
}

func TestErrorXMLEscapes(t *testing.T) {
	got := string(ErrorXML("CorruptImage", "bad <data> & more", "a&b.jpg", "id1"))
	if !strings.Contains(got, "bad &lt;data&gt; &amp; more") || !strings.Contains(got, "<Resource>a&amp;b.jpg</Resource>") {
		t.Fatalf("not escaped: %s", got)
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewRequestID()
		if seen[id] {
			t.Fatalf("duplicate request id %s", id)
		}
		seen[id] = true
	}
}
