package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"lightbox/internal/cosrules"
)

// regionRE is deliberately loose (ap-guangzhou, ap-beijing-1, na-siliconvalley):
// it catches "guangzhou" or "cos.ap-guangzhou.myqcloud.com" typed as a region
// without hard-coding a region list that Tencent extends.
var regionRE = regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)+$`)

func checkBucket(name string) error {
	if cosrules.ValidBucket(name) {
		return nil
	}
	return fmt.Errorf("bucket %q is not a COS bucket name: it is NAME-APPID, lower-case letters, digits and dashes ending in the numeric APPID (for example photos-1250000000)", name)
}

func checkRegion(region string) error {
	if regionRE.MatchString(region) {
		return nil
	}
	return fmt.Errorf("region %q is not a COS region ID such as ap-guangzhou or ap-shanghai", region)
}

// NormalizeEndpoint checks a custom endpoint (flag or [cos].endpoint) and
// returns it without a trailing slash. It must be an absolute http(s) URL with
// no path: the SDK sends keys as the URL path, so a path here would be lost.
func NormalizeEndpoint(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("endpoint %q is not a URL such as http://127.0.0.1:7070 or https://photos-1250000000.cos.ap-guangzhou.myqcloud.com", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("endpoint %q must be scheme://host[:port] only, without path, query or user", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// hasCOSScheme reports whether s starts with cos://, in any case, as COSCLI accepts.
func hasCOSScheme(s string) bool {
	return len(s) >= len("cos://") && strings.EqualFold(s[:len("cos://")], "cos://")
}

// ParsePromoteTo splits [curation].promote_to into a bucket ("" = the bucket
// being reviewed) and a key prefix. "" means promotion is not configured and
// returns "", "", nil. A same-bucket prefix must be non-empty; every prefix
// must end in "/" so that promoted keys do not glue onto the folder name.
func ParsePromoteTo(s string) (bucket, prefix string, err error) {
	if s == "" {
		return "", "", nil
	}
	if hasCOSScheme(s) {
		bucket, prefix, _ = strings.Cut(s[len("cos://"):], "/")
		if err := checkBucket(bucket); err != nil {
			return "", "", err
		}
	} else {
		prefix = s
	}
	if strings.HasPrefix(prefix, "/") {
		return "", "", fmt.Errorf("prefix %q must not start with /: COS keys have no leading slash", prefix)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		return "", "", fmt.Errorf("prefix %q must end with /", prefix)
	}
	return bucket, prefix, nil
}
