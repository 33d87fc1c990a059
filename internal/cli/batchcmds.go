package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/curation"
	"lightbox/internal/names"
	"lightbox/localcos"
)

func newUndoCmd() *cobra.Command {
	return newBatchCmd("undo", "Undo a batch, or roll back an interrupted one",
		"Reverse the steps of BATCH (see `lightbox journal`) that succeeded, where nobody has changed\n"+
			"the objects since; an interrupted batch is rolled back (its copies left in the trash or\n"+
			"promote folder are deleted while they still match the original). A hard delete cannot be\n"+
			"undone. The batch's own target is opened: its folder, or its bucket at its endpoint.",
		func(ctx context.Context, e *curation.Engine, id string) (curation.Report, error) {
			return e.Undo(ctx, id)
		})
}

func newResumeCmd() *cobra.Command {
	return newBatchCmd("resume", "Finish an interrupted batch",
		"Finish the steps of BATCH that were cancelled or cut short, checking each object first, so\n"+
			"nothing is done twice. The batch's own target is opened: its folder, or its bucket.",
		func(ctx context.Context, e *curation.Engine, id string) (curation.Report, error) {
			return e.Resume(ctx, id)
		})
}

func newBatchCmd(name, short, long string, run func(context.Context, *curation.Engine, string) (curation.Report, error)) *cobra.Command {
	var f credentialFlags
	cmd := &cobra.Command{
		Use:   name + " BATCH",
		Short: short,
		Long:  long + "\nExit status 1 if any step failed.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(f.configPath, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			j, all, err := openHistory(cmd, cfg)
			if err != nil {
				return err
			}
			defer j.Close()
			i := slices.IndexFunc(all, func(b curation.BatchInfo) bool { return b.ID == args[0] })
			if i < 0 {
				return fmt.Errorf("no batch %q in the journal %s (lightbox journal --all lists them)", args[0], j.Path())
			}
			r, err := batchTarget(all[i], f, cfg)
			if err != nil {
				return err
			}
			client, closeClient, err := openClient(r, cfg.Scoring, nil, localcos.LimitsLocal)
			if err != nil {
				return err
			}
			defer closeClient()
			rep, err := run(cmd.Context(), curation.New(client, j, cfg.Curation), args[0])
			return reportBatch(cmd, rep, err)
		},
	}
	f.register(cmd)
	return cmd
}

// batchTarget is the target a batch was made on, from its journal record: file://DIR is
// that folder, served here; anything else is the bucket at that endpoint, with the usual
// credentials.
func batchTarget(b curation.BatchInfo, f credentialFlags, cfg config.Config) (resolved, error) {
	if dir, ok := strings.CutPrefix(b.Endpoint, "file://"); ok {
		return resolved{cfg: cfg, target: config.Target{Local: dir}}, nil
	}
	if b.Endpoint == "" || b.Bucket == "" {
		return resolved{}, fmt.Errorf("batch %s does not say which bucket it was made on", b.ID)
	}
	cliPath, _ := config.COSCLIPath(cfg)
	creds, err := config.ResolveCredentials(config.Sources{FlagID: f.secretID, FlagKey: f.secretKey, FlagToken: f.token, Config: cfg, COSCLI: cliPath})
	if err != nil {
		return resolved{}, err
	}
	return resolved{cfg: cfg, target: config.Target{Bucket: b.Bucket, Endpoint: b.Endpoint}, creds: creds}, nil
}

// reportBatch prints a batch's failures and summary; exit 1 if anything failed.
func reportBatch(cmd *cobra.Command, rep curation.Report, err error) error {
	w := cmd.ErrOrStderr()
	for _, f := range rep.Failed {
		fmt.Fprintf(w, "failed: %s: %v\n", names.Printable(f.Key), f.Err)
	}
	if rep.Batch != "" || len(rep.Done)+len(rep.Failed) > 0 {
		line := rep.Summary()
		if rep.Batch != "" {
			line += " (batch " + rep.Batch + ")"
		}
		fmt.Fprintln(cmd.OutOrStdout(), line)
	}
	switch {
	case err != nil:
		return err
	case len(rep.Failed) > 0:
		return quietError{errors.New(rep.Summary())}
	}
	return nil
}

type trashFlags struct {
	targetFlags
	all, yes bool
	format   string
}

func newTrashCmd() *cobra.Command {
	var f trashFlags
	cmd := &cobra.Command{
		Use:   "trash TARGET [list | restore KEY... | restore --all | empty [KEY...] --yes]",
		Short: "List, restore or empty the soft-delete trash",
		Long: "The trash is every object under [curation] trash_prefix (default .trash/), where a soft\n" +
			"delete moves objects. list (the default) shows each with where it came from and, when the\n" +
			"journal says, the batch that trashed it and when. restore moves keys back (given as trash\n" +
			"keys or original keys; --all: everything), never onto an object that is there now: a\n" +
			"journaled batch that `lightbox undo` can reverse. empty deletes trash keys for good (all of\n" +
			"them when none are given) and needs --yes. Exit status 1 if any key failed.",
		Example: "  lightbox trash ~/Pictures\n  lightbox trash ~/Pictures restore 2024/a.jpg\n  lightbox trash ~/Pictures empty --yes",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.format != "text" && f.format != "json" {
				return errorfUsage("--format must be text or json, not %q", f.format)
			}
			arg := ""
			if len(args) > 0 && (f.bucket == "" || !isTrashVerb(args[0])) {
				arg, args = args[0], args[1:]
			} else if f.bucket == "" {
				return errorfUsage("trash needs a TARGET (a folder or cos://BUCKET-APPID)")
			}
			verb := "list"
			if len(args) > 0 {
				verb, args = args[0], args[1:]
			}
			switch {
			case !isTrashVerb(verb):
				return errorfUsage("trash: %q is not list, restore or empty", verb)
			case verb == "list" && len(args) > 0:
				return errorfUsage("trash list takes no keys")
			case verb == "restore" && len(args) == 0 && !f.all:
				return errorfUsage("trash restore needs KEYs, or --all")
			case verb == "restore" && len(args) > 0 && f.all:
				return errorfUsage("trash restore takes KEYs or --all, not both")
			case verb == "empty" && !f.yes:
				return errorfUsage("trash empty deletes for good and cannot be undone: add --yes")
			}
			return runTrash(cmd, arg, verb, args, f)
		},
	}
	f.targetFlags.register(cmd)
	fl := cmd.Flags()
	fl.BoolVar(&f.all, "all", false, "restore: everything in the trash")
	fl.BoolVar(&f.yes, "yes", false, "empty: yes, delete for good")
	fl.StringVar(&f.format, "format", "text", "list output: text (aligned columns) or json (JSON Lines)")
	return cmd
}

func isTrashVerb(s string) bool { return s == "list" || s == "restore" || s == "empty" }

func runTrash(cmd *cobra.Command, arg, verb string, keys []string, f trashFlags) error {
	limits, err := localcos.ParseLimits(f.limits)
	if err != nil {
		return usageError{err}
	}
	r, err := f.resolve(arg, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	j, err := openJournal(r.cfg, warnTo(cmd.ErrOrStderr()))
	if err != nil {
		return err
	}
	defer j.Close()
	client, closeClient, err := openClient(r, r.cfg.Scoring, nil, limits)
	if err != nil {
		return err
	}
	defer closeClient()
	e := curation.New(client, j, r.cfg.Curation)
	ctx := cmd.Context()
	prefix := e.Settings().TrashPrefix
	if verb == "list" || len(keys) == 0 {
		trash, err := e.Trash(ctx)
		if err != nil {
			return err
		}
		if verb == "list" {
			return printTrash(cmd.OutOrStdout(), trash, f.format)
		}
		for _, t := range trash {
			keys = append(keys, t.Key)
		}
		if len(keys) == 0 {
			fmt.Fprintln(cmd.ErrOrStderr(), "the trash is empty")
			return nil
		}
	}
	for i, k := range keys {
		if prefix != "" && !strings.HasPrefix(k, prefix) {
			keys[i] = prefix + k // an original key names its trash key
		}
	}
	var rep curation.Report
	if verb == "restore" {
		rep, err = e.Restore(ctx, keys)
	} else {
		rep, err = e.EmptyTrash(ctx, keys)
	}
	return reportBatch(cmd, rep, err)
}

type trashRow struct {
	Key      string `json:"key"`
	Original string `json:"original"`
	Size     int64  `json:"size"`
	Batch    string `json:"batch,omitempty"`
	Trashed  string `json:"trashed,omitempty"`
}

func printTrash(w io.Writer, trash []curation.TrashEntry, format string) error {
	rows := make([]trashRow, len(trash))
	for i, t := range trash {
		rows[i] = trashRow{Key: t.Key, Original: t.Original, Size: t.Size, Batch: t.Batch}
		if !t.Trashed.IsZero() {
			rows[i].Trashed = t.Trashed.Local().Format("2006-01-02 15:04:05")
		}
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TRASHED\tSIZE\tORIGINAL\tBATCH")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", cmp.Or(r.Trashed, "?"), r.Size, names.Printable(r.Original), cmp.Or(r.Batch, "?"))
	}
	return tw.Flush()
}
