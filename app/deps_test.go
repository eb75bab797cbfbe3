package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainImportsNoInfrastructure keeps the domain free of the GUI, the
// database and HTTP: those depend on app, never the other way round.
func TestDomainImportsNoInfrastructure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps returned too little: %q", deps)
	}
	for _, d := range deps {
		for _, banned := range []string{"fyne.io/", "go.etcd.io/bbolt", "net/http", "github.com/go-resty/", "motcua/storage", "motcua/ui", "motcua/client", "motcua/api"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("package app depends on %s", d)
			}
		}
	}
}
