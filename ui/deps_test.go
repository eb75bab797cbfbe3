package ui

import (
	"os/exec"
	"strings"
	"testing"
)

// TestScreensImportOnlyTheDomain keeps the house (../shared/style.md): the
// screens talk to app, forms, report and resources; the database, the
// central API client and the wire types are main's to wire.
func TestScreensImportOnlyTheDomain(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps returned too little: %q", deps)
	}
	seen := map[string]bool{}
	for _, d := range deps {
		seen[d] = true
		for _, banned := range []string{"motcua/storage", "motcua/client", "motcua/api", "motcua/hub", "go.etcd.io/bbolt", "github.com/go-resty/", "github.com/jackc/"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("package ui depends on %s", d)
			}
		}
	}
	for _, want := range []string{"motcua/app", "motcua/forms", "fyne.io/fyne/v2"} {
		if !seen[want] {
			t.Errorf("go list -deps lacks %s: the test no longer sees the real graph", want)
		}
	}
}
