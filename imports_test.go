package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules keeps the layout that ARCHITECTURE.md draws: the screen and the key
// bindings compile neither the server nor the scorer, the wire client starts no server, and
// the two leaves (server, scorer) know nothing of the client, the curation engine, the
// config or the screen.
func TestImportRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	rules := []struct {
		pkgs      []string
		forbidden []string
	}{
		{[]string{"./keymap", "./model", "./ui/...", "./config", "./curation/..."}, []string{"lightbox/localcos", "lightbox/quality"}},
		{[]string{"./cosapi/..."}, []string{"lightbox/localcos", "lightbox/quality", "lightbox/curation", "lightbox/ui", "lightbox/model"}},
		{[]string{"./localcos/...", "./quality/..."}, []string{"lightbox/cosapi", "lightbox/curation", "lightbox/config", "lightbox/ui", "lightbox/model", "lightbox/keymap", "lightbox/internal/cli"}},
		{[]string{"./model"}, []string{"lightbox/ui", "lightbox/keymap", "charm.land/bubbletea/v2"}},
		// The shared leaves: anyone may import them because they import none of the above.
		{[]string{"./score", "./internal/cosrules", "./internal/names", "./internal/exif", "./internal/parallel", "./internal/applog", "./similar"},
			[]string{"lightbox/cosapi", "lightbox/curation", "lightbox/config", "lightbox/ui", "lightbox/model", "lightbox/keymap", "lightbox/localcos", "lightbox/quality"}},
	}
	for _, r := range rules {
		args := append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, r.pkgs...)
		out, err := exec.Command("go", args...).Output()
		if err != nil {
			t.Fatalf("go %s: %v", strings.Join(args, " "), err)
		}
		for dep := range strings.FieldsSeq(string(out)) {
			for _, f := range r.forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s must not depend on %s (found %s)", strings.Join(r.pkgs, " "), f, dep)
				}
			}
		}
	}
}
