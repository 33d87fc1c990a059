package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/curation"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
	"lightbox/internal/names"
)

type journalFlags struct {
	targetFlags
	all    bool
	format string
}

func newJournalCmd() *cobra.Command {
	var f journalFlags
	cmd := &cobra.Command{
		Use:   "journal [TARGET]",
		Short: "List the batches of changes lightbox made (tags, deletes, promotes, undos), with their state",
		Long: "List the journal's batches, oldest first: when, the action, the prefix its keys share,\n" +
			"how many steps were done, failed, canceled and pending, its state (complete, failed,\n" +
			"interrupted, undone) and its id, for `lightbox journal show`, `undo` and `resume`.\n" +
			"Only TARGET's bucket's batches are listed unless --all; TARGET is a folder or\n" +
			"cos://BUCKET-APPID (no request is made: the journal is a local file).",
		Example: "  lightbox journal ~/Pictures\n  lightbox journal --all --format json\n  lightbox journal show 20261204T222936Z-67ec3f60ba4c",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.format != "text" && f.format != "json" {
				return errorfUsage("--format must be text or json, not %q", f.format)
			}
			if len(args) == 0 && f.bucket == "" && !f.all {
				return errorfUsage("journal needs a TARGET, or --all for every bucket's batches")
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			return runJournal(cmd, arg, f)
		},
	}
	f.targetFlags.register(cmd)
	cmd.Flags().BoolVar(&f.all, "all", false, "every bucket's batches, not only TARGET's")
	cmd.Flags().StringVar(&f.format, "format", "text", "output: text (aligned columns) or json (JSON Lines)")
	cmd.AddCommand(newJournalShowCmd())
	return cmd
}

// openJournal opens the journal the config names ([curation] journal) or the default one.
// Damage found on opening is told to warn once: damaged batches are never acted on.
func openJournal(cfg config.Config, warn func(string)) (*journal.Journal, error) {
	p := cfg.Curation.Journal
	if p == "" {
		var err error
		if p, err = journal.DefaultPath(); err != nil {
			return nil, err
		}
	}
	j, err := journal.Open(p)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if d := j.Damage(); d != "" {
		warn(d)
	}
	return j, nil
}

// openHistory opens the journal and reads every batch it holds; close the journal.
func openHistory(cmd *cobra.Command, cfg config.Config) (*journal.Journal, []curation.BatchInfo, error) {
	j, err := openJournal(cfg, warnTo(cmd.ErrOrStderr()))
	if err != nil {
		return nil, nil, err
	}
	all, err := curation.New(nil, j, cfg.Curation).History()
	if err != nil {
		j.Close()
		return nil, nil, err
	}
	return j, all, nil
}

// loadConfig reads the config file alone, printing its warnings.
func loadConfig(path string, warn io.Writer) (config.Config, error) {
	cfg, warnings, err := config.Load(path, reviewWords)
	for _, w := range warnings {
		fmt.Fprintln(warn, "warning:", w)
	}
	return cfg, err
}

func runJournal(cmd *cobra.Command, arg string, f journalFlags) error {
	var cfg config.Config
	keep := func(curation.BatchInfo) bool { return true }
	if arg != "" || f.bucket != "" {
		f.noCredentials = true
		r, err := f.resolve(arg, cmd.ErrOrStderr())
		if err != nil {
			return err
		}
		cfg = r.cfg
		if !f.all {
			keep = journalFilter(r.target)
		}
	} else {
		var err error
		if cfg, err = loadConfig(f.configPath, cmd.ErrOrStderr()); err != nil {
			return err
		}
	}
	j, all, err := openHistory(cmd, cfg)
	if err != nil {
		return err
	}
	defer j.Close()
	out := cmd.OutOrStdout()
	var shown []curation.BatchInfo
	for _, b := range all {
		if keep(b) {
			shown = append(shown, b)
		}
	}
	if f.format == "json" {
		enc := json.NewEncoder(out)
		for _, b := range shown {
			if err := enc.Encode(batchJSON(b)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(shown) == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "no batches in the journal %s for this target (--all lists every bucket's)\n", j.Path())
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tACTION\tPREFIX\tDONE\tFAILED\tCANCELED\tPENDING\tSTATE\tID")
	for _, b := range shown {
		prefix := names.Printable(b.Prefix)
		if prefix == "" {
			prefix = "/"
		}
		action := b.Action
		if b.Undoes != "" {
			action += " " + b.Undoes
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", b.First.Local().Format("2006-01-02 15:04:05"),
			action, prefix, b.Done, b.Failed-b.Canceled, b.Canceled, b.Pending, b.State(), b.ID)
	}
	return tw.Flush()
}

// journalFilter keeps the batches made on t's bucket. The journal names a folder by
// file://<absolute path> and a bucket by its endpoint's scheme and host.
func journalFilter(t config.Target) func(curation.BatchInfo) bool {
	if t.IsLocal() {
		abs, err := filepath.Abs(t.Local)
		if err != nil {
			abs = t.Local
		}
		return func(b curation.BatchInfo) bool { return b.Endpoint == "file://"+abs }
	}
	endpoint := t.Endpoint
	if endpoint == "" && t.Region != "" {
		endpoint = "https://" + t.Bucket + ".cos." + t.Region + ".myqcloud.com"
	}
	endpoint = strings.TrimRight(endpoint, "/")
	return func(b curation.BatchInfo) bool {
		return b.Bucket == t.Bucket && (endpoint == "" || b.Endpoint == endpoint)
	}
}

type batchRow struct {
	ID        string    `json:"id"`
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	Undoes    string    `json:"undoes,omitempty"`
	Endpoint  string    `json:"endpoint"`
	Bucket    string    `json:"bucket"`
	Prefix    string    `json:"prefix"`
	Steps     int       `json:"steps"`
	Done      int       `json:"done"`
	Failed    int       `json:"failed"` // for good: canceled steps are not counted here
	Canceled  int       `json:"canceled"`
	Pending   int       `json:"pending"`
	State     string    `json:"state"`
	UndoneBy  string    `json:"undone_by,omitempty"`
	Undoable  bool      `json:"undoable"`
	NotUndone string    `json:"why_not_undoable,omitempty"`
}

func batchJSON(b curation.BatchInfo) batchRow {
	r := batchRow{ID: b.ID, Time: b.First, Action: b.Action, Undoes: b.Undoes, Endpoint: b.Endpoint, Bucket: b.Bucket,
		Prefix: b.Prefix, Steps: b.Intents, Done: b.Done, Failed: b.Failed - b.Canceled, Canceled: b.Canceled,
		Pending: b.Pending, State: b.State(), UndoneBy: b.UndoneBy, Undoable: b.Undoable == nil}
	if b.Undoable != nil {
		r.NotUndone = b.Undoable.Error()
	}
	return r
}

func newJournalShowCmd() *cobra.Command {
	var configPath, format string
	cmd := &cobra.Command{
		Use:   "show BATCH",
		Short: "List one batch's steps: each key, where it went, its tags, and how its step ended",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return errorfUsage("--format must be text or json, not %q", format)
			}
			cfg, err := loadConfig(configPath, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			j, err := openJournal(cfg, warnTo(cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			defer j.Close()
			steps, err := curation.New(nil, j, cfg.Curation).Steps(args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				for _, s := range steps {
					if err := enc.Encode(stepRow{s.Key, s.Dest, s.Phase, s.Err, tagWords(s.TagsBefore), tagWords(s.TagsAfter)}); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "PHASE\tKEY\tDEST\tTAGS\tERROR")
			for _, s := range steps {
				tags := ""
				if len(s.TagsBefore)+len(s.TagsAfter) > 0 {
					tags = strings.Join(tagWords(s.TagsBefore), ",") + " -> " + strings.Join(tagWords(s.TagsAfter), ",")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Phase, names.Printable(s.Key), names.Printable(s.Dest), names.Printable(tags), names.Printable(s.Err))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file (default $LIGHTBOX_CONFIG or <config dir>/lightbox/config.toml)")
	cmd.Flags().StringVar(&format, "format", "text", "output: text (aligned columns) or json (JSON Lines)")
	return cmd
}

type stepRow struct {
	Key        string   `json:"key"`
	Dest       string   `json:"dest,omitempty"`
	Phase      string   `json:"phase"`
	Err        string   `json:"error,omitempty"`
	TagsBefore []string `json:"tags_before,omitempty"`
	TagsAfter  []string `json:"tags_after,omitempty"`
}

func tagWords(tags []cosrules.Tag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.Key + "=" + t.Value
	}
	return out
}
