package cosapi

import (
	"context"
	"fmt"
)

// Preview fetches an image for display, at most maxBytes. On real COS it asks Cloud
// Infinite for a thumbnail that fits maxSide (imageMogr2), so over a slow link only what the
// pane needs is downloaded; the embedded COS ignores the parameter and sends the file,
// which is local anyway.
func (c *Client) Preview(ctx context.Context, key string, maxSide int, maxBytes int64) ([]byte, error) {
	query := ""
	if maxSide > 0 {
		query = fmt.Sprintf("imageMogr2/thumbnail/%dx%d%%3E", maxSide, maxSide) // "%3E" is ">": shrink only
	}
	var body []byte
	err := c.retry(ctx, "preview", key, func(ctx context.Context) error {
		var err error
		body, err = c.get(ctx, "preview", key, query, maxBytes)
		return err
	})
	return body, err
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
