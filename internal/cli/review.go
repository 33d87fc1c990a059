package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/curation"
	"lightbox/keymap"
	"lightbox/localcos"
	"lightbox/localcos/demo"
	"lightbox/model"
	"lightbox/ui"
)

// reviewFlags are the reviewer's command-line overrides of the config file.
type reviewFlags struct {
	targetFlags
	theme, sort, image string
	threshold          int
	scoringFlags
}

func (f *reviewFlags) register(cmd *cobra.Command) {
	f.targetFlags.register(cmd)
	f.scoringFlags.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.theme, "theme", "", "auto, dark, light or mono (default from the config; NO_COLOR forces mono)")
	fl.StringVar(&f.image, "image", "", "how to draw images: auto (kitty graphics where the terminal has them, else blocks), kitty, blocks or none (default from the config)")
	fl.StringVar(&f.sort, "sort", "", "initial sort: "+strings.Join(model.SortWords(), ", ")+"; - prefix for descending")
	fl.IntVar(&f.threshold, "threshold", 0, "score cut-off for colouring, 1-100 (default from the config: 50)")
}

func newDemoCmd() *cobra.Command {
	var f reviewFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Open the reviewer on a demo gallery of real and generated photos, served by the embedded COS",
		Long: "Write (once, deterministically, with no download) a demo gallery into the user cache\n" +
			"directory and open the reviewer on it through the embedded COS. It holds a few dozen\n" +
			"generated images covering every flag and failure, and, when the CLIVE dataset is found\n" +
			"(" + demo.PhotosEnv + ", else ../shared/datasets/clive-calib from the working folder or from\n" +
			"the project holding the executable), " + strconv.Itoa(demo.RealPhotos) + " of its real photos across the whole range of\n" +
			"human ratings, with their licence notice.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(cmd); err != nil {
				return err // before generating a gallery for nothing
			}
			dir, err := demo.DefaultDir()
			if err != nil {
				return err
			}
			photos, err := findDemoPhotos()
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			if photos == "" {
				fmt.Fprintf(stderr, "No real photos for the demo: set %s to the clive-calib dataset's folder to add %d of them.\n",
					demo.PhotosEnv, demo.RealPhotos)
			}
			fmt.Fprintf(stderr, "Preparing the demo gallery in %s...\n", dir)
			if _, err := demo.Ensure(dir, photos); err != nil {
				return err
			}
			return runReview(cmd.Context(), cmd, dir, f)
		},
	}
	f.register(cmd)
	return cmd
}

// findDemoPhotos is the CLIVE dataset's folder for the demo, "" if there is none.
func findDemoPhotos() (string, error) {
	wd, _ := os.Getwd()       // without it, only the variable and the executable's place
	exe, _ := os.Executable() // likewise
	return demo.FindPhotos(os.Getenv(demo.PhotosEnv), wd, exe)
}

// backend is what the reviewer drives: the wire client's reads and the curation engine's
// journaled changes.
type backend struct {
	*cosapi.Client
	*curation.Engine
}

// runReview opens the reviewer on TARGET until the operator quits.
func runReview(ctx context.Context, cmd *cobra.Command, arg string, f reviewFlags) error {
	if err := f.check(cmd); err != nil {
		return err
	}
	limits, err := localcos.ParseLimits(f.limits)
	if err != nil {
		return usageError{err}
	}
	r, err := f.resolve(arg, nil) // warnings go on the reviewer's screen
	if err != nil {
		return err
	}
	cfg := r.cfg
	scoring := f.apply(cfg.Scoring)
	keys, kerrs := keymap.Default().WithOverrides(cfg.Keys)
	tags, terrs := keymap.QuickTags(cfg.QuickTags)
	keys = keys.WithQuickTags(tags)
	warnings := r.warnings
	for _, e := range append(kerrs, terrs...) {
		warnings = append(warnings, fmt.Sprint("[keys]: ", e))
	}
	onScreen := func(w string) { warnings = append(warnings, w) }
	cache, err := f.openScoreCache(scoring, onScreen)
	if err != nil {
		return err
	}
	defer closeCache(cache)
	j, err := openJournal(cfg, onScreen)
	if err != nil {
		return err
	}
	defer j.Close()
	client, closeClient, readOnly, err := openTarget(r, scoring, cache, limits, true)
	if err != nil {
		return err
	}
	defer closeClient()
	engine := curation.New(client, j, cfg.Curation)

	theme := firstNonEmpty(f.theme, cfg.Review.Theme)
	if os.Getenv("NO_COLOR") != "" {
		theme = ui.ThemeMono
	}
	image := firstNonEmpty(f.image, cfg.Review.Image) // both judged by preview.ParseMode already
	threshold := cfg.Review.Threshold
	if f.threshold > 0 {
		threshold = f.threshold
	}
	m := ui.New(reviewOptions(r, scoring, ui.Options{
		Backend: backend{client, engine}, Target: r.target.String(), Root: r.target.Prefix,
		Keys: keys, QuickTags: tags, Theme: theme, Threshold: threshold,
		Sort: firstNonEmpty(f.sort, cfg.Review.Sort), Columns: cfg.Review.Columns, Concurrency: scoring.Concurrency, Curation: engine.Settings(), Image: image, Context: ctx,
		Warnings: warnings, ReadOnly: readOnly, AutoAdvance: cfg.Review.AutoAdvance,
		Groups: groupOptions(cfg.Groups),
	}))
	_, err = tea.NewProgram(m, tea.WithContext(ctx)).Run()
	m.Cleanup() // the external viewer's temporary files, also after a signal
	if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// reviewOptions adds what depends on who scores: on a real bucket scored by AssessQuality
// every call is billed, so the reviewer gets the cost guard ([scoring] ask_above,
// price_per_1000). Folders and the local scorer cost nothing per image.
func reviewOptions(r resolved, scoring config.Scoring, o ui.Options) ui.Options {
	if !r.target.IsLocal() && scoring.Scorer != "local" {
		o.Cost = &ui.CostGuard{AskAbove: scoring.AskAbove, PricePer1000: scoring.PricePer1000}
	}
	if r.target.IsLocal() {
		// A folder's listing is cheap (the embedded COS on loopback): notice files added
		// from outside without a ctrl+r. A bucket's listing is paid for, so it waits for one.
		o.AutoRefresh = folderPoll
	}
	return o
}

// folderPoll is how often the reviewer re-lists a folder target to notice changes.
const folderPoll = 3 * time.Second
