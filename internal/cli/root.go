// Package cli is lightbox's command line: the commands, their flags, and the wiring of
// config, client, curation engine, embedded COS and reviewer that each command needs.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"syscall"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
)

// Exit statuses, documented in README.md.
const (
	exitFailed = 1 // the command ran, but something it was asked to do failed
	exitUsage  = 2 // the command line itself was wrong
)

// Version overrides what --version reports; set it at build time with
// -ldflags "-X lightbox/internal/cli.Version=...". Left empty, the build info is used.
var Version = ""

// version is the module version (a tagged `go install` says v1.2.3; a build from a
// checkout says "(devel)") and the VCS revision the binary was built from, with
// "+dirty" when the work tree had uncommitted changes.
func version() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build info)"
	}
	v := info.Main.Version
	var rev, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	// Go already puts the revision into a pseudo-version; a "(devel)" build gets it here.
	if rev != "" && !strings.Contains(v, rev) {
		if dirty {
			rev += "+dirty"
		}
		v += " (revision " + rev
		if when != "" {
			v += ", " + when
		}
		v += ")"
	}
	return v + ", " + info.GoVersion
}

// Run runs the command line args and returns the process's exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	opts := []fang.Option{
		fang.WithNotifySignal(os.Interrupt, syscall.SIGTERM),
		fang.WithErrorHandler(printError),
	}
	opts = append(opts, fang.WithVersion(version()))
	err := fang.Execute(ctx, root, opts...)
	var q quietError
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &q):
		return exitFailed
	case errors.As(err, &u):
		return exitUsage
	}
	return exitFailed
}

func newRootCmd() *cobra.Command {
	var f reviewFlags
	root := &cobra.Command{
		Use:   "lightbox [TARGET]",
		Short: "Review image buckets on Tencent Cloud COS from the terminal",
		Long: "lightbox opens a terminal reviewer on TARGET (cos://BUCKET-APPID/prefix/ or a folder, served\n" +
			"by an embedded COS): images are scored in the background like Cloud Infinite's\n" +
			"AssessQuality (clarity, aesthetics, content quality and five flags), sorted, filtered,\n" +
			"marked and acted on from the keyboard. `lightbox demo` tries it on a generated gallery.",
		Example: "  lightbox demo\n  lightbox ~/Pictures\n  lightbox cos://photos-1250000000/2024/",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				if f.bucket == "" {
					return cmd.Help()
				}
				return runReview(cmd.Context(), cmd, "", f) // --endpoint/--bucket: the bucket's root
			}
			if !strings.Contains(args[0], "://") && f.bucket == "" {
				if _, err := os.Stat(args[0]); err != nil {
					// Most likely a mistyped command rather than a missing folder.
					return errorfUsage("%q is neither a lightbox command nor a folder (see lightbox --help)", args[0])
				}
			}
			return runReview(cmd.Context(), cmd, args[0], f)
		},
	}
	f.register(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newAssessCmd(), newServeCmd(), newScoreCmd(), newGroupsCmd(), newDemoCmd(),
		newJournalCmd(), newUndoCmd(), newResumeCmd(), newTrashCmd())
	usageArgs(root)
	return root
}

// usageArgs makes every argument-count error of cmd and its subcommands a usageError, as
// SetFlagErrorFunc does for flags: exit status 2 is decided by type, never by wording.
func usageArgs(cmd *cobra.Command) {
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				var u usageError
				if errors.As(err, &u) {
					return err
				}
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		usageArgs(sub)
	}
}

// printError reports err on stderr exactly as worded: fang's own handler title-cases the
// first word, which turns paths, flags and product names into "/Nonexistent", "--Format" or
// "Assessquality". On a terminal the message gets fang's ERROR badge.
func printError(w io.Writer, styles fang.Styles, err error) {
	var q quietError
	if errors.As(err, &q) {
		return // the command already reported each failure itself
	}
	if f, ok := w.(*os.File); !ok || !isTerminal(f) {
		fmt.Fprintln(w, "lightbox:", err)
		return
	}
	fmt.Fprintln(w, styles.ErrorHeader.String())
	fmt.Fprintln(w, "  "+err.Error())
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintln(w, "\n  Try --help for usage.")
	}
	fmt.Fprintln(w)
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// quietError means "exit 1, the details were already printed".
type quietError struct{ error }

func errorfUsage(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }
