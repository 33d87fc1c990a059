package cli

import (
	"fmt"
	"math"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/model"
	"lightbox/ui"
	"lightbox/ui/preview"
)

// reviewWords judge the reviewer's words with their owners' parsers: sort keys by the list
// model, columns and themes by the reviewer, image modes by the preview. The config file
// and the flags are judged by these same functions, so they accept the same words.
var reviewWords = config.Words{
	Sort: func(s string) error {
		_, _, err := model.ParseSort(s)
		return err
	},
	Column: ui.ParseColumn,
	Theme: func(s string) error {
		_, err := ui.ParseTheme(s)
		return err
	},
	Image: func(s string) error {
		_, err := preview.ParseMode(s)
		return err
	},
}

// check refuses the reviewer's flags that were given with a value the config file would
// refuse too: a usage error naming the flag (after a word: the error printer capitalises
// the first one), the value and what is allowed. An empty word
// is the flags' default, "as the config says".
func (f reviewFlags) check(cmd *cobra.Command) error {
	fl := cmd.Flags()
	for _, w := range []struct {
		flag, value string
		judge       func(string) error
	}{{"sort", f.sort, reviewWords.Sort}, {"theme", f.theme, reviewWords.Theme}, {"image", f.image, reviewWords.Image}} {
		if !fl.Changed(w.flag) || w.value == "" {
			continue
		}
		if err := w.judge(w.value); err != nil {
			return usageError{fmt.Errorf("flag --%s: %w", w.flag, err)}
		}
	}
	if fl.Changed("threshold") && (f.threshold < 1 || f.threshold > 100) {
		return errorfUsage("flag --threshold %d: want a score cut-off from 1 to 100", f.threshold)
	}
	return f.scoringFlags.check(cmd)
}

// check refuses scoring flags out of the ranges config.Validate allows for [scoring].
func (f scoringFlags) check(cmd *cobra.Command) error {
	fl := cmd.Flags()
	switch {
	case fl.Changed("concurrency") && (f.concurrency < 1 || f.concurrency > config.MaxConcurrency):
		return errorfUsage("flag --concurrency %d: want 1 to %d parallel calls", f.concurrency, config.MaxConcurrency)
	case fl.Changed("qps") && (!(f.qps > 0) || math.IsInf(f.qps, 0)):
		return errorfUsage("flag --qps %v: want a number of calls per second above 0", f.qps)
	case fl.Changed("max-calls") && f.maxCalls < 0:
		return errorfUsage("flag --max-calls %d: want 0 (no cap) or more", f.maxCalls)
	case fl.Changed("scorer") && f.scorer != "cos" && f.scorer != "local":
		return errorfUsage("flag --scorer %q: want cos or local", f.scorer)
	}
	return nil
}
