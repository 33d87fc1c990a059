package cli

// apiFields are AssessQuality's eight fields in JSON, under the API's names and in its
// order; pointers so that a failed row leaves them out rather than reporting zeros. Both
// `assess` and `score` print them.
type apiFields struct {
	LongImage       *bool `json:"LongImage,omitempty"`
	BlackAndWhite   *bool `json:"BlackAndWhite,omitempty"`
	SmallImage      *bool `json:"SmallImage,omitempty"`
	BigImage        *bool `json:"BigImage,omitempty"`
	PureImage       *bool `json:"PureImage,omitempty"`
	ClarityScore    *int  `json:"ClarityScore,omitempty"`
	AestheticScore  *int  `json:"AestheticScore,omitempty"`
	LowQualityScore *int  `json:"LowQualityScore,omitempty"`
}

func newAPIFields(long, bw, small, big, pure bool, clarity, aesthetic, lowQuality int) apiFields {
	return apiFields{&long, &bw, &small, &big, &pure, &clarity, &aesthetic, &lowQuality}
}
