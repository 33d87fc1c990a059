// Command lightbox reviews image buckets on Tencent Cloud COS from the terminal, and scores
// images locally the way Cloud Infinite's AssessQuality does. The commands live in
// internal/cli; this file only hands them the process.
package main

import (
	"context"
	"os"

	"lightbox/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
