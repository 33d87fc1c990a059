package cosapi

import (
	"context"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/internal/cosrules"
)

// Tags returns an object's tags, in the order COS keeps them (nil when it has none).
func (c *Client) Tags(ctx context.Context, key string) ([]cosrules.Tag, error) {
	if err := CheckKey("tags", key); err != nil {
		return nil, err // an empty key would read the bucket's tags
	}
	var tags []cosrules.Tag
	err := c.retry(ctx, "tags", key, func(ctx context.Context) error {
		res, _, err := c.sdk.Object.GetTagging(ctx, key)
		if err != nil {
			return err
		}
		tags = nil
		for _, t := range res.TagSet {
			tags = append(tags, cosrules.Tag{Key: t.Key, Value: t.Value})
		}
		return nil
	})
	return tags, err
}

// PutTags replaces key's tags; an empty set is DeleteTagging, as COS has no sure way to
// put an empty set.
func (c *Client) PutTags(ctx context.Context, key string, tags []cosrules.Tag) error {
	return c.retry(ctx, "tag", key, func(ctx context.Context) error {
		if len(tags) == 0 {
			_, err := c.sdk.Object.DeleteTagging(ctx, key)
			return err
		}
		opt := &cos.ObjectPutTaggingOptions{TagSet: make([]cos.ObjectTaggingTag, len(tags))}
		for i, t := range tags {
			opt.TagSet[i] = cos.ObjectTaggingTag{Key: t.Key, Value: t.Value}
		}
		_, err := c.sdk.Object.PutTagging(ctx, key, opt)
		return err
	})
}
