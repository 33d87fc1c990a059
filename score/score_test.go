package score

import (
	"encoding/json"
	"encoding/xml"
	"reflect"
	"testing"
)

func TestLookup(t *testing.T) {
	for word, want := range map[string]ID{
		"clarity": Clarity, "CLARITY": Clarity, " Clarity ": Clarity,
		"aesthetic": Aesthetic, "Aesthetics": Aesthetic,
		"lowquality": LowQuality, "low-quality": LowQuality, "Content": LowQuality,
	} {
		f, ok := Lookup(word)
		if !ok || f.ID != want {
			t.Errorf("Lookup(%q) = %v, %v; want %v", word, f.ID, ok, want)
		}
	}
	for _, word := range []string{"", "clear", "lowquality!", "LowQualityScore", "pure", "name"} {
		if f, ok := Lookup(word); ok {
			t.Errorf("Lookup(%q) = %v, want none", word, f.Word)
		}
	}
}

func TestLookupFlag(t *testing.T) {
	for word, want := range map[string]FlagID{
		"long": Long, "LONG": Long, "bw": BlackAndWhite, "B&W": BlackAndWhite, "b&w": BlackAndWhite,
		"small": Small, "Big": Big, "pure": Pure,
	} {
		f, ok := LookupFlag(word)
		if !ok || f.ID != want {
			t.Errorf("LookupFlag(%q) = %v, %v; want %v", word, f.ID, ok, want)
		}
	}
	for _, word := range []string{"", "clarity", "blackandwhite", "b", "longimage"} {
		if _, ok := LookupFlag(word); ok {
			t.Errorf("LookupFlag(%q) found a flag", word)
		}
	}
}

// TestRegistryMatchesScores checks every entry against the struct it describes: its ID is
// its index, its API name is a field of Scores, and its getter reads exactly that field.
func TestRegistryMatchesScores(t *testing.T) {
	typ := reflect.TypeFor[Scores]()
	seen := map[string]bool{}
	// entry checks what fields and flags share: their words are unique across the whole
	// registry, and the API name is a field of Scores of the kind the getter reads.
	entry := func(word string, aliases []string, apiName string, kind reflect.Kind) {
		t.Helper()
		for _, w := range append([]string{word}, aliases...) {
			if seen[w] {
				t.Errorf("word %q is used twice in the registry", w)
			}
			seen[w] = true
		}
		sf, ok := typ.FieldByName(apiName)
		if !ok || sf.Type.Kind() != kind {
			t.Fatalf("%s: APIName %q is not a %s field of Scores", word, apiName, kind)
		}
	}
	for i, f := range Fields {
		if f.ID != ID(i) {
			t.Errorf("Fields[%d].ID = %d", i, f.ID)
		}
		entry(f.Word, f.Aliases, f.APIName, reflect.Int)
		var s Scores
		reflect.ValueOf(&s).Elem().FieldByName(f.APIName).SetInt(77)
		if got := f.Get(s); got != 77 {
			t.Errorf("%s: Get reads %d, want the %s field (77)", f.Word, got, f.APIName)
		}
		if got := f.ID.Get(s); got != 77 {
			t.Errorf("%s: ID.Get reads %d", f.Word, got)
		}
		// The switch is the API's word: the canonical word or one of its aliases.
		named := false
		for _, w := range append([]string{f.Word}, f.Aliases...) {
			named = named || f.Switch == "enable_"+w || f.Switch == "enable_"+w+"s"
		}
		if !named {
			t.Errorf("%s: switch %q does not name the score", f.Word, f.Switch)
		}
		if f.Width < 3 {
			t.Errorf("%s: width %d cannot hold 100", f.Word, f.Width)
		}
	}
	for i, f := range Flags {
		if f.ID != FlagID(i) {
			t.Errorf("Flags[%d].ID = %d", i, f.ID)
		}
		entry(f.Word, f.Aliases, f.APIName, reflect.Bool)
		var s Scores
		reflect.ValueOf(&s).Elem().FieldByName(f.APIName).SetBool(true)
		for _, g := range Flags {
			if got := g.Get(s); got != (g.ID == f.ID) {
				t.Errorf("with only %s set, %s.Get = %v", f.APIName, g.Word, got)
			}
		}
	}
	if n := int(NumFields) + int(NumFlags); n != typ.NumField() {
		t.Errorf("the registry describes %d fields, Scores has %d", n, typ.NumField())
	}
}

// TestOrderIsTheAPIs checks the registry's order against the API's answer, whose order is
// the one shown everywhere.
func TestOrderIsTheAPIs(t *testing.T) {
	typ := reflect.TypeFor[Scores]()
	for i, f := range Flags {
		if got := typ.Field(i).Name; got != f.APIName {
			t.Errorf("flag %d is %s, the API's is %s", i, f.APIName, got)
		}
	}
	for i, f := range Fields {
		if got := typ.Field(int(NumFlags) + i).Name; got != f.APIName {
			t.Errorf("score %d is %s, the API's is %s", i, f.APIName, got)
		}
	}
}

func TestScoresDecodeTheAPIsNames(t *testing.T) {
	const x = `<Response><LongImage>false</LongImage><BlackAndWhite>true</BlackAndWhite><SmallImage>false</SmallImage>` +
		`<BigImage>false</BigImage><PureImage>true</PureImage><ClarityScore>41</ClarityScore>` +
		`<AestheticScore>52</AestheticScore><LowQualityScore>63</LowQualityScore></Response>`
	var s Scores
	if err := xml.Unmarshal([]byte(x), &s); err != nil {
		t.Fatal(err)
	}
	want := Scores{BlackAndWhite: true, PureImage: true, ClarityScore: 41, AestheticScore: 52, LowQualityScore: 63}
	if s != want {
		t.Fatalf("decoded %+v, want %+v", s, want)
	}
	raw, _ := json.Marshal(s)
	var back Scores
	if err := json.Unmarshal(raw, &back); err != nil || back != want {
		t.Fatalf("JSON round trip: %+v, %v", back, err)
	}
}

func TestWords(t *testing.T) {
	if got := Words(nil); !reflect.DeepEqual(got, []string{"clarity", "aesthetic", "content"}) {
		t.Errorf("Words(nil) = %v", got)
	}
	if got := Words(func(f Field) bool { return f.ID == Aesthetic }); !reflect.DeepEqual(got, []string{"aesthetic"}) {
		t.Errorf("Words(aesthetic only) = %v", got)
	}
	if got := FlagWords(); !reflect.DeepEqual(got, []string{"long", "bw", "small", "big", "pure"}) {
		t.Errorf("FlagWords() = %v", got)
	}
	if Clarity.String() != "clarity" || NumFields.String() != "score.ID(3)" {
		t.Errorf("String: %q %q", Clarity.String(), NumFields.String())
	}
}
