// Package cli is lightbox's command line: the commands, their flags, and the wiring of
// config, client, curation engine, embedded COS and reviewer that each command needs.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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

// Version is set at build time with -ldflags "-X lightbox/internal/cli.Version=...".
var Version = ""

// Run runs the command line args and returns the process's exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	opts := []fang.Option{
		fang.WithNotifySignal(os.Interrupt, syscall.SIGTERM),
		fang.WithErrorHandler(func(w io.Writer, styles fang.Styles, err error) {
			var q quietError
			if errors.As(err, &q) {
				return // the command already reported each failure itself
			}
			fang.DefaultErrorHandler(w, styles, err)
		}),
	}
	if Version != "" {
		opts = append(opts, fang.WithVersion(Version))
	}
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
				return cmd.Help()
			}
			if !strings.Contains(args[0], "://") {
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
	root.AddCommand(newAssessCmd(), newServeCmd(), newScoreCmd(), newDemoCmd())
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

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// quietError means "exit 1, the details were already printed".
type quietError struct{ error }

func errorfUsage(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }
