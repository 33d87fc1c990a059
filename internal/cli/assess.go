package cli

import (
	"bufio"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"lightbox/quality"
)

func newAssessCmd() *cobra.Command {
	var (
		format  string
		jobs    int
		details bool
		maxPix  int64
	)
	cmd := &cobra.Command{
		Use:   "assess [flags] FILE...",
		Short: "Score image files like Cloud Infinite's AssessQuality",
		Long: "Score PNG and JPEG files locally. XML prints, per file, the exact <Response> body of\n" +
			"GET /<key>?ci-process=AssessQuality; JSON prints one object per line, in argument order.\n" +
			"Every file is processed; the exit status is 1 if any failed, 2 for usage errors.",
		Example: "  lightbox assess photo.jpg\n  lightbox assess --format json --details -j 4 *.jpg",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errorfUsage("assess needs at least one FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "xml" && format != "json" {
				return errorfUsage("--format must be xml or json, not %q", format)
			}
			if jobs < 0 {
				return errorfUsage("-j must be 0 (one per CPU) or more, not %d", jobs)
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			failed := 0
			quality.AssessFiles(cmd.Context(), args, jobs, quality.Options{MaxPixels: maxPix}, func(fr quality.FileResult) {
				if fr.Err != nil {
					failed++
				}
				if format == "json" {
					writeJSONLine(out, fr, details)
				} else {
					writeXML(out, fr)
				}
				// Flush per file so a long batch shows progress in a pipe.
				_ = out.Flush()
			})
			if failed > 0 {
				return quietError{fmt.Errorf("%d of %d files failed", failed, len(args))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "xml", "output format: xml (the API's Response body) or json (JSON Lines)")
	f.IntVarP(&jobs, "jobs", "j", 0, "files assessed in parallel (0 = one per CPU)")
	f.BoolVar(&details, "details", false, "with --format json: add the reasons behind ClarityScore (blur, noise, exposure, compression)")
	f.Int64Var(&maxPix, "max-pixels", 0, "refuse images declaring more pixels than this (0 = built-in limits)")
	return cmd
}

type jsonResult struct {
	File string `json:"file"`
	apiFields
	Details *jsonDetails `json:"Details,omitempty"`
	Error   *jsonError   `json:"error,omitempty"`
}

type jsonDetails struct {
	Blur        int    `json:"Blur"`
	Noise       int    `json:"Noise"`
	Exposure    int    `json:"Exposure"`
	Compression int    `json:"Compression"`
	Width       int    `json:"Width"`
	Height      int    `json:"Height"`
	Format      string `json:"Format"`
}

type jsonError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeJSONLine(w *bufio.Writer, fr quality.FileResult, details bool) {
	j := jsonResult{File: fr.Path}
	if fr.Err != nil {
		j.Error = &jsonError{Code: string(fr.Err.Code), Message: fr.Err.Message}
	} else {
		r := fr.Result
		j.apiFields = newAPIFields(r.LongImage, r.BlackAndWhite, r.SmallImage, r.BigImage, r.PureImage,
			r.ClarityScore, r.AestheticScore, r.LowQualityScore)
		if details {
			d := r.Details
			j.Details = &jsonDetails{d.Blur, d.Noise, d.Exposure, d.Compression, d.Width, d.Height, d.Format}
		}
	}
	b, _ := json.Marshal(j) // plain structs: cannot fail
	w.Write(b)
	w.WriteByte('\n')
}

func writeXML(w *bufio.Writer, fr quality.FileResult) {
	if fr.Err != nil {
		w.Write(quality.ErrorXML(string(fr.Err.Code), fr.Err.Message, fr.Path, quality.NewRequestID()))
		return
	}
	w.Write(fr.Result.ResponseXML(quality.NewRequestID()))
}
