package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
)

// Secret holds a secret key or session token. Every way Go has of printing,
// marshalling or logging it yields "****" (or "" when unset), so a Secret can
// sit in structs that get printed with %+v or logged with slog without leaking.
// Reveal is the one way to get the value, for handing it to the SDK.
type Secret string

const masked = "****"

// Reveal returns the secret itself. Call it only where the value must leave
// lightbox (the SDK's signer), never for display.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret holds a value.
func (s Secret) IsSet() bool { return s != "" }

func (s Secret) mask() string {
	if s == "" {
		return ""
	}
	return masked
}

// String masks the secret, so %s, %v and string concatenation via Stringer are safe.
func (s Secret) String() string { return s.mask() }

// GoString masks the secret for %#v.
func (s Secret) GoString() string { return strconv.Quote(s.mask()) }

// Format masks the secret for every verb and keeps flags and width, so that
// tables using %-10s still line up. %q and %#v quote the mask; every other
// verb prints it as %s (not as hex or fmt's %!d(...) noise).
func (s Secret) Format(f fmt.State, verb rune) {
	if verb != 'q' && verb != 'v' {
		verb = 's'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.mask())
}

// MarshalJSON masks the secret in JSON output.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.mask()) }

// MarshalText masks the secret for every text encoder (TOML, YAML, XML, map keys).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.mask()), nil }

// LogValue masks the secret in slog output, whatever the handler.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.mask()) }
