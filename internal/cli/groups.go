package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/internal/names"
	"lightbox/similar"
)

type groupsFlags struct {
	scoredTargetFlags
	noScores bool
}

func newGroupsCmd() *cobra.Command {
	var f groupsFlags
	cmd := &cobra.Command{
		Use:   "groups [flags] TARGET",
		Short: "Find exact duplicates, near-duplicates and bursts, and the best image of each",
		Long: "Group the PNG and JPEG images under TARGET (cos://BUCKET-APPID/prefix/, or a folder) that\n" +
			"are the same picture: exact duplicates (same size and content digest: found from the\n" +
			"listing alone when the ETag is an MD5), near-duplicates (re-encoded, resized, lightly\n" +
			"cropped or re-exposed copies: perceptual fingerprints within [groups] near_threshold) and\n" +
			"bursts (within burst_threshold and taken within burst_window, by EXIF capture time or\n" +
			"else the object's time). Each group names its best member: the highest ClarityScore,\n" +
			"then AestheticScore (scored through AssessQuality, cached), and why.\n" +
			"Fingerprints come from a small thumbnail on COS (imageMogr2) or the file on a folder,\n" +
			"and are cached per object version beside the scores. Exit status 1 if any image could\n" +
			"not be read or scored (the groups found are still printed).",
		Example: "  lightbox groups ~/Pictures/trip\n" +
			"  lightbox groups --recursive --format csv cos://photos-1250000000/2024/ > groups.csv\n" +
			"  lightbox groups --no-scores --format text cos://photos-1250000000/inbox/",
	}
	f.wire(cmd, func(cmd *cobra.Command, arg string) error {
		return runGroups(cmd.Context(), cmd, arg, f)
	}, "group across every sub-prefix too",
		"output: json (JSON Lines, one group a line), csv (one member a row) or text")
	fl := cmd.Flags()
	fl.BoolVar(&f.noScores, "no-scores", false, "call no AssessQuality: pick the best by file size (cached scores are not used either)")
	return cmd
}

func runGroups(ctx context.Context, cmd *cobra.Command, arg string, f groupsFlags) error {
	sess, err := openScoring(cmd, arg, &f.scoredTargetFlags, "json", "csv", "text")
	if err != nil {
		return err
	}
	defer sess.close()
	r, scoring, client := sess.r, sess.scoring, sess.client

	prefix := r.target.Prefix
	var objs []cosapi.Object
	err = client.List(ctx, prefix, f.recursive, func(p cosapi.Page) error {
		for _, o := range p.Objects {
			if !strings.HasSuffix(o.Key, "/") && names.IsImageName(o.Key) {
				objs = append(objs, o)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	items, failures, st := client.GroupItems(ctx, objs, cosapi.GroupItemsOptions{Scores: !f.noScores, Workers: scoring.Concurrency})
	if err := ctx.Err(); err != nil {
		return err
	}
	groups := similar.Find(items, groupOptions(r.cfg.Groups))

	out := newGroupWriter(cmd.OutOrStdout(), f.format, prefix)
	for _, gr := range groups {
		out.write(items, gr)
	}
	if err := out.flush(); err != nil {
		return err
	}
	for _, fl := range failures {
		fmt.Fprintln(cmd.ErrOrStderr(), names.Printable(fl.Err.Error())) // client errors name their key
	}
	kinds := map[similar.Kind]int{}
	for _, gr := range groups {
		kinds[gr.Kind]++
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%d images, %d groups (%d duplicate, %d near, %d burst); fingerprints: %d from cache, %d read; %d AssessQuality calls; failed %d\n",
		len(objs), len(groups), kinds[similar.Duplicate], kinds[similar.Near], kinds[similar.Burst],
		st.CachedPrints, st.ReadPrints, client.Stats().Calls, len(failures))
	if len(failures) > 0 {
		return quietError{fmt.Errorf("%d images failed", len(failures))}
	}
	return nil
}

// groupOptions turns [groups] into thresholds. The difference-hash threshold that confirms
// a near match moves with near_threshold, by the same number of bits.
func groupOptions(g config.Groups) similar.Options {
	d := similar.DefaultOptions
	return similar.Options{
		Near:   g.NearThreshold,
		NearD:  min(max(d.NearD+g.NearThreshold-d.Near, 0), 64),
		Burst:  g.BurstThreshold,
		Window: g.BurstWindow,
	}
}

// groupWriter prints groups as JSON Lines, CSV (one member a row) or text, keys relative
// to the target's prefix.
type groupWriter struct {
	format, prefix string
	w              io.Writer
	csv            *csv.Writer
	n              int
	err            error
}

// groupJSON is one line of --format json.
type groupJSON struct {
	Kind    string   `json:"kind"`
	Best    string   `json:"best"`
	Members []string `json:"members"` // best first, then in the order the best was chosen by
	Why     string   `json:"why"`
}

func newGroupWriter(w io.Writer, format, prefix string) *groupWriter {
	gw := &groupWriter{format: format, prefix: prefix, w: w}
	if format == "csv" {
		gw.csv = csv.NewWriter(w)
		_ = gw.csv.Write([]string{"group", "kind", "key", "best", "ClarityScore", "AestheticScore", "why"})
	}
	return gw
}

func (gw *groupWriter) rel(key string) string { return strings.TrimPrefix(key, gw.prefix) }

func (gw *groupWriter) write(items []similar.Item, g similar.Group) {
	gw.n++
	switch gw.format {
	case "json":
		row := groupJSON{Kind: g.Kind.String(), Best: gw.rel(items[g.Best()].Key), Why: g.Why}
		for _, m := range g.Members {
			row.Members = append(row.Members, gw.rel(items[m].Key))
		}
		b, _ := json.Marshal(row) // strings only
		gw.put(append(b, '\n'))
	case "csv":
		for k, m := range g.Members {
			it := items[m]
			clarity, aesthetic, why := "", "", ""
			if it.Scored {
				clarity, aesthetic = strconv.Itoa(it.Clarity), strconv.Itoa(it.Aesthetic)
			}
			if k == 0 {
				why = g.Why
			}
			_ = gw.csv.Write([]string{strconv.Itoa(gw.n), g.Kind.String(), gw.rel(it.Key), strconv.FormatBool(k == 0), clarity, aesthetic, why})
		}
	default:
		var b strings.Builder
		fmt.Fprintf(&b, "%s, %d images: keep %s (%s)\n", g.Kind, len(g.Members), names.Printable(gw.rel(items[g.Best()].Key)), g.Why)
		for _, m := range g.Members[1:] {
			fmt.Fprintf(&b, "  %s\n", names.Printable(gw.rel(items[m].Key)))
		}
		gw.put([]byte(b.String()))
	}
}

func (gw *groupWriter) put(b []byte) {
	if gw.err == nil {
		_, gw.err = gw.w.Write(b)
	}
}

func (gw *groupWriter) flush() error {
	if gw.csv != nil {
		gw.csv.Flush()
		return gw.csv.Error()
	}
	return gw.err
}
