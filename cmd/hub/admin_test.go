package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func hubCmd(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		var stderr string
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%v: %v %s", args, err, stderr)
	}
	return strings.TrimSpace(string(out))
}

// within polls until ok or 5 s (the contract's bound) pass.
func within(t *testing.T, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("%s: not in effect after 5 s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(start)
}

// TestAdminCommandsWhileServing: agency add, key issue and key revoke run
// against a serving hub (through its admin socket) and are in effect for the
// next request.
func TestAdminCommandsWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildHub(t)
	dir := t.TempDir()
	p := startHub(t, bin, dir)
	client := &http.Client{Timeout: 5 * time.Second}
	status := func(key string) int {
		st, _, err := call(client, p.addr, key, "GET", "/v1/agencies", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	start := time.Now()
	k1 := hubCmd(t, bin, "agency", "add", "--data", dir, "--code", "000.00.00.H56", "--name", "Sở Tư pháp", "--level", "department")
	t.Logf("agency add while serving took %v", time.Since(start))
	t.Logf("new key works after %v", within(t, "agency add", func() bool { return status(k1) == http.StatusOK }))
	k2 := hubCmd(t, bin, "key", "issue", "--data", dir, "--code", "000.00.00.H56")
	within(t, "key issue", func() bool { return status(k2) == http.StatusOK })
	if out := hubCmd(t, bin, "key", "revoke", "--data", dir, "--code", "000.00.00.H56"); !strings.Contains(out, "2 key(s)") {
		t.Fatalf("revoke: %s", out)
	}
	t.Logf("revoked keys refused after %v", within(t, "key revoke", func() bool { return status(k1) == http.StatusUnauthorized && status(k2) == http.StatusUnauthorized }))
	if list := hubCmd(t, bin, "agency", "list", "--data", dir); !strings.Contains(list, "Sở Tư pháp") {
		t.Fatalf("list while serving: %s", list)
	}
	pk := hubCmd(t, bin, "portal", "add", "--data", dir, "--code", "DVC-H56", "--name", "Cổng dịch vụ công tỉnh")
	if !strings.HasPrefix(pk, "mck_") {
		t.Fatalf("portal key %q", pk)
	}
	if list := hubCmd(t, bin, "portal", "list", "--data", dir); !strings.Contains(list, "DVC-H56") {
		t.Fatalf("portal list: %s", list)
	}
	// a bad command answers with the hub's error
	if out, err := exec.Command(bin, "key", "issue", "--data", dir, "--code", "000.00.09.H22").CombinedOutput(); err == nil || !strings.Contains(string(out), "not found") {
		t.Fatalf("unknown agency: %v %s", err, out)
	}
	// after the hub stops, the commands open the folder themselves again
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
	if list := hubCmd(t, bin, "agency", "list", "--data", dir); !strings.Contains(list, "000.00.00.H56") {
		t.Fatalf("list offline: %s", list)
	}
}

// TestStalledSocketShutdown: a client that stops in the middle of its body
// does not hold a SIGTERM beyond --grace.
func TestStalledSocketShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildHub(t)
	dir := t.TempDir()
	key := addAgency(t, bin, dir, "000.00.00.H56")
	p := startHub(t, bin, dir, "--grace", "1s", "--body-timeout", "1m")
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/transfers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nIdempotency-Key: k\r\nContent-Length: 5000\r\n\r\n{\"purpose\":", key)
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	took := time.Since(start)
	t.Logf("shutdown with a stalled upload took %v (grace 1 s)", took)
	if took > 3*time.Second {
		t.Fatalf("shutdown took %v", took)
	}
}
