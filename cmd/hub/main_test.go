package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"motcua/api"
)

func TestUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-h"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"motcua-hub serve", "agency add", "key issue", "key revoke", "agency list", "--cert", "STAY VALID",
		"portal add", "portal key issue", "--grace", "--quota-mib", "--max-conns", "admin.sock"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q", want)
		}
	}
}

func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	must := func(args ...string) string {
		t.Helper()
		out.Reset()
		if err := run(args, &out, &errOut); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errOut.String())
		}
		return out.String()
	}
	k1 := strings.TrimSpace(must("agency", "add", "--data", dir, "--code", "000.00.00.H56", "--name", "Sở Tư pháp", "--level", "department"))
	if !strings.HasPrefix(k1, "mck_") {
		t.Fatalf("key %q", k1)
	}
	must("agency", "add", "--data", dir, "--code", "000.00.01.H22", "--name", "UBND xã Tân Lập", "--parent", "000.00.00.H56", "--level", "commune")
	list := must("agency", "list", "--data", dir)
	if !strings.Contains(list, "000.00.01.H22  commune") || !strings.Contains(list, "UBND xã Tân Lập") {
		t.Fatalf("list:\n%s", list)
	}
	k2 := strings.TrimSpace(must("key", "issue", "--data", dir, "--code", "000.00.00.H56"))
	if k2 == k1 || !strings.HasPrefix(k2, "mck_") {
		t.Fatalf("second key %q", k2)
	}
	if got := must("key", "revoke", "--data", dir, "--code", "000.00.00.H56"); !strings.Contains(got, "2 key(s)") {
		t.Fatalf("revoke: %s", got)
	}
	if got := must("digests", "--data", dir, "--code", "000.00.01.H22"); got != "" {
		t.Fatalf("digests of an agency that sent none: %q", got)
	}
	must("agency", "deactivate", "--data", dir, "--code", "000.00.01.H22")
	if list := must("agency", "list", "--data", dir); !strings.Contains(list, "commune     false") {
		t.Fatalf("after deactivate:\n%s", list)
	}
	for _, bad := range [][]string{
		{"agency", "add", "--data", dir, "--code", "H22", "--name", "x"},
		{"agency", "add", "--data", dir, "--code", "000.00.02.H22"},
		{"agency", "add", "--data", dir, "--code", "000.00.02.H22", "--name", "x", "--level", "village"},
		{"key", "issue", "--data", dir, "--code", "000.00.09.H22"},
		{"key", "issue", "--code", "000.00.00.H56"},
		{"digests", "--data", dir},
		{"frobnicate"},
	} {
		if err := run(bad, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// hubProcess is motcua-hub serve running as a child process.
type hubProcess struct {
	cmd   *exec.Cmd
	addr  string
	lines chan string // stderr, after the "listening" line
}

var (
	binDir   string
	buildMu  sync.Mutex
	builtBin string
)

func TestMain(m *testing.M) {
	var err error
	if binDir, err = os.MkdirTemp("", "motcua-hub-test"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// buildHub builds motcua-hub once per test run.
func buildHub(t *testing.T) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if builtBin == "" {
		bin := filepath.Join(binDir, "motcua-hub")
		out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
		if err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		builtBin = bin
	}
	return builtBin
}

var addrRE = regexp.MustCompile(`addr="?([0-9.]+:[0-9]+)"?`)

func startHub(t *testing.T, bin, dir string, extra ...string) *hubProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--rate", "0"}, extra...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if m := addrRE.FindStringSubmatch(lines.Text()); m != nil && strings.Contains(lines.Text(), "listening") {
			p := &hubProcess{cmd: cmd, addr: m[1], lines: make(chan string, 1000)}
			go func() { // keep the pipe drained
				for lines.Scan() {
					select {
					case p.lines <- lines.Text():
					default:
					}
				}
				close(p.lines)
			}()
			return p
		}
	}
	t.Fatal("the hub never said where it listens")
	return nil
}

func addAgency(t *testing.T, bin, dir, code string) string {
	t.Helper()
	out, err := exec.Command(bin, "agency", "add", "--data", dir, "--code", code, "--name", "Cơ quan "+code).Output()
	if err != nil {
		t.Fatalf("agency add: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func call(client *http.Client, addr, key, method, path string, body any, hdr map[string]string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, "http://"+addr+path, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", api.MediaJSON)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func transferReq(i int) api.TransferRequest {
	return api.TransferRequest{
		Purpose: api.PurposeProcess, ToAgency: "000.00.00.H56",
		Dossier: api.Dossier{
			DossierCode: fmt.Sprintf("000.00.01.H22-260115-%04d", i), ProcedureCode: "1.001193",
			ProcedureName: "Đăng ký khai sinh", Channel: 1,
			Applicant:  api.Applicant{Kind: 1, FullName: "Trần Thị C"},
			ReceivedAt: time.Date(2026, 1, 15, 9, 0, 0, 0, time.FixedZone("", 7*3600)), StatusCode: api.StatusProcessing,
		},
	}
}

// TestCrashKeepsAcknowledgedWrites SIGKILLs the hub while transfers are being
// created; after a restart every transfer that got a 201 is there with its event.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildHub(t)
	dir := t.TempDir()
	sender := addAgency(t, bin, dir, "000.00.01.H22")
	recipient := addAgency(t, bin, dir, "000.00.00.H56")
	p := startHub(t, bin, dir)

	client := &http.Client{Timeout: 10 * time.Second}
	var mu sync.Mutex
	var acked []string
	enough := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * 10000; ; i++ {
				st, body, err := call(client, p.addr, sender, "POST", "/v1/transfers", transferReq(i), map[string]string{api.HeaderIdempotencyKey: fmt.Sprint("k", i)})
				if err != nil {
					return // the hub died
				}
				if st != http.StatusCreated {
					t.Errorf("create: %d %s", st, body)
					return
				}
				var tr api.Transfer
				json.Unmarshal(body, &tr)
				mu.Lock()
				acked = append(acked, tr.ID)
				if len(acked) == 40 {
					close(enough)
				}
				mu.Unlock()
			}
		}()
	}
	<-enough
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	wg.Wait()

	p = startHub(t, bin, dir)
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d transfers acknowledged before the kill", len(acked))
	events := map[string]bool{}
	cursor := ""
	for {
		st, body, err := call(client, p.addr, recipient, "GET", "/v1/inbox?limit=500&cursor="+cursor, nil, nil)
		if err != nil || st != http.StatusOK {
			t.Fatalf("inbox: %d %v %s", st, err, body)
		}
		var page api.InboxPage
		json.Unmarshal(body, &page)
		for _, ev := range page.Events {
			events[ev.TransferID] = true
		}
		cursor = page.NextCursor
		if !page.HasMore {
			break
		}
	}
	for _, id := range acked {
		st, body, err := call(client, p.addr, recipient, "GET", "/v1/transfers/"+id, nil, nil)
		if err != nil || st != http.StatusOK {
			t.Errorf("transfer %s after the crash: %d %v %s", id, st, err, body)
		}
		if !events[id] {
			t.Errorf("transfer %s has no transfer.received event after the crash", id)
		}
	}
}

// TestGracefulShutdown: SIGTERM ends a parked long-poll at once and exits 0.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildHub(t)
	dir := t.TempDir()
	key := addAgency(t, bin, dir, "000.00.00.H56")
	p := startHub(t, bin, dir, "--log-level", "debug")
	client := &http.Client{Timeout: 40 * time.Second}
	done := make(chan int, 1)
	go func() {
		st, _, err := call(client, p.addr, key, "GET", "/v1/inbox?wait=30", nil, nil)
		if err != nil {
			t.Log(err)
		}
		done <- st
	}()
	// Wait until the hub says the long-poll is parked.
	for line := range p.lines {
		if strings.Contains(line, "inbox: waiting") {
			break
		}
	}
	start := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	if st := <-done; st != http.StatusOK {
		t.Fatalf("long-poll ended with %d", st)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("shutdown took %v", d)
	}
}

// TestServeTLS: with --cert and --key the hub speaks HTTPS.
func TestServeTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	bin := buildHub(t)
	p := startHub(t, bin, filepath.Join(dir, "data"), "--cert", certFile, "--key", keyFile)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://" + p.addr + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Fatalf("https health: %d tls=%v", resp.StatusCode, resp.TLS != nil)
	}
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "motcua-hub test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "hub.crt"), filepath.Join(dir, "hub.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
