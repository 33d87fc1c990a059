package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"lightbox/cosapi"
	"lightbox/internal/cosrules"
	"lightbox/model"
)

// Every I/O result comes back as one of these, stamped with what it was for, so that an
// answer for a list the operator has left, or an object that changed, is dropped.

// pageMsg is one page of a listing.
type pageMsg struct {
	list *model.List // the list it belongs to (identity): dropped if no longer kept
	page cosapi.Page
	err  error
}

// scoredMsg is one AssessQuality answer.
type scoredMsg struct {
	list      *model.List
	key, etag string
	res       cosapi.Assessment
	err       error
}

// detailMsg is what a listing does not say about the image under the cursor: its tags and
// content type.
type detailMsg struct {
	list        *model.List
	key, etag   string
	tags        []cosrules.Tag
	contentType string
	noTags      bool // tags were not read: the loader has them coming
	err         error
}

// resortMsg re-sorts a list while scores stream in, a few times a second at most.
type resortMsg struct{ list *model.List }

// detailTickMsg fetches details once the cursor has rested on an image.
type detailTickMsg struct {
	list *model.List
	key  string
	gen  int
}

// statusClearMsg clears a transient status message.
type statusClearMsg struct{ gen int }

func listPageCmd(ctx context.Context, b Backend, l *model.List) tea.Cmd {
	prefix, marker := l.Prefix(), l.Marker()
	return func() tea.Msg {
		p, err := b.ListPage(ctx, prefix, marker, false, cosapi.MaxPage)
		return pageMsg{list: l, page: p, err: err}
	}
}

func scoreCmd(ctx context.Context, b Backend, l *model.List, it *model.Item) tea.Cmd {
	obj := cosapi.Object{Key: it.Key, Size: it.Size, ETag: it.ETag, LastModified: it.Modified, StorageClass: it.StorageClass}
	refresh := it.Refresh
	return func() tea.Msg {
		res, err := b.Assess(ctx, obj, cosapi.AssessOptions{Refresh: refresh})
		return scoredMsg{list: l, key: obj.Key, etag: obj.ETag, res: res, err: err}
	}
}

// detailCmd reads what the detail pane lacks: the content type, and the tags unless the
// background loader already asked for them (readTags false).
func detailCmd(ctx context.Context, b Backend, l *model.List, key, etag string, readTags bool) tea.Cmd {
	return func() tea.Msg {
		head, err := b.Head(ctx, key)
		if err != nil {
			return detailMsg{list: l, key: key, etag: etag, err: err}
		}
		if !readTags {
			return detailMsg{list: l, key: key, etag: etag, contentType: head.ContentType, noTags: true}
		}
		tags, err := b.Tags(ctx, key)
		out := make([]cosrules.Tag, len(tags))
		for i, t := range tags {
			out[i] = cosrules.Tag{Key: t.Key, Value: t.Value}
		}
		return detailMsg{list: l, key: key, etag: etag, tags: out, contentType: head.ContentType, err: err}
	}
}

// The pacing of background work.
const (
	resortEvery = 300 * time.Millisecond // re-sort while scores arrive
	detailDelay = 150 * time.Millisecond // wait for the cursor to rest before fetching tags
	statusFor   = 4 * time.Second
)
