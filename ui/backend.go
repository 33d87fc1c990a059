package ui

import (
	"context"

	"lightbox/cosapi"
	"lightbox/curation"
	"lightbox/internal/cosrules"
	"lightbox/similar"
)

// Backend is what the reviewer needs from a bucket: cosapi.Client in the program, a fake in
// tests. Calls run inside tea.Cmds, never in Update.
type Backend interface {
	ListPage(ctx context.Context, prefix, marker string, recursive bool, maxKeys int) (cosapi.Page, error)
	Assess(ctx context.Context, obj cosapi.Object, opt cosapi.AssessOptions) (cosapi.Assessment, error)
	Head(ctx context.Context, key string) (cosapi.Object, error)
	Tags(ctx context.Context, key string) ([]cosrules.Tag, error)
	Stats() cosapi.Stats
	Preview(ctx context.Context, key string, maxSide int, maxBytes int64) ([]byte, error)

	// Curation: each call is one journaled batch (see cosapi).
	SetTags(ctx context.Context, keys []string, set []cosrules.Tag, remove []string) (curation.Report, error)
	Delete(ctx context.Context, keys []string) (curation.Report, error)
	Promote(ctx context.Context, keys []string) (curation.Report, error)
	UndoLast(ctx context.Context) (curation.Report, error)
	// Undo reverses one batch; an interrupted one is rolled back.
	Undo(ctx context.Context, batch string) (curation.Report, error)
	Resume(ctx context.Context, batch string) (curation.Report, error)

	// The journal and the trash (curation/history.go).
	History() ([]curation.BatchInfo, error)
	Steps(batch string) ([]curation.StepInfo, error)
	Trash(ctx context.Context) ([]curation.TrashEntry, error)
	Restore(ctx context.Context, trashKeys []string) (curation.Report, error)
	EmptyTrash(ctx context.Context, trashKeys []string) (curation.Report, error)

	// GroupItems fingerprints objects for similar.Find (groups.go); cached per version.
	GroupItems(ctx context.Context, objs []cosapi.Object, opt cosapi.GroupItemsOptions) ([]similar.Item, []cosapi.ItemError, cosapi.GroupStats)
}
