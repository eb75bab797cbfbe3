package hub

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/api"
)

// The conformance tests speak HTTP to a real hub on 127.0.0.1, one rule of
// central-api.md per test.

func TestHealthNeedsNoKey(t *testing.T) {
	e := newEnv(t)
	var h api.Health
	e.do("", "GET", "/v1/health", nil, nil).want(t, http.StatusOK, &h)
	if h.Status != "ok" {
		t.Fatalf("health = %+v", h)
	}
}

func TestUnauthorized(t *testing.T) {
	e := newEnv(t)
	for name, auth := range map[string]string{
		"missing":    "",
		"not bearer": "Basic abc",
		"garbage":    "Bearer nonsense",
		"unknown":    "Bearer mck_0011223344556677_" + strings.Repeat("ab", 32),
		"tampered":   "Bearer " + otherLastChar(e.keys[commune]),
	} {
		t.Run(name, func(t *testing.T) {
			h := hdr{}
			if auth != "" {
				h["Authorization"] = auth
			}
			r := e.do("", "GET", "/v1/agencies", nil, h)
			r.wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate")
			}
		})
	}
	t.Run("revoked", func(t *testing.T) {
		e.do(commune, "GET", "/v1/agencies", nil, nil).want(t, http.StatusOK, nil)
		old := e.keys[commune]
		if n, err := e.h.RevokeKey(commune); err != nil || n != 1 {
			t.Fatalf("revoke: %d %v", n, err)
		}
		e.do(commune, "GET", "/v1/agencies", nil, nil).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
		k, err := e.h.IssueKey(commune)
		if err != nil {
			t.Fatal(err)
		}
		e.keys[commune] = k
		e.do(commune, "GET", "/v1/agencies", nil, nil).want(t, http.StatusOK, nil)
		e.keys[commune] = old
		e.do(commune, "GET", "/v1/agencies", nil, nil).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
	})
}

// tamper changes the last hex digit of a key.
func tamper(k string) string {
	last := "0"
	if strings.HasSuffix(k, "0") {
		last = "1"
	}
	return k[:len(k)-1] + last
}

func TestIssuedKeysStayValid(t *testing.T) {
	e := newEnv(t)
	second, err := e.h.IssueKey(commune)
	if err != nil {
		t.Fatal(err)
	}
	e.do(commune, "GET", "/v1/agencies", nil, nil).want(t, http.StatusOK, nil)
	e.do("", "GET", "/v1/agencies", nil, hdr{"Authorization": "Bearer " + second}).want(t, http.StatusOK, nil)
	if _, err := e.h.IssueKey("999.99.99.Z99"); err == nil {
		t.Fatal("key issued for an unknown agency")
	}
}

func TestAgencyDirectory(t *testing.T) {
	e := newEnv(t)
	var list []api.Agency
	e.do(stranger, "GET", "/v1/agencies", nil, nil).want(t, http.StatusOK, &list)
	if len(list) != 3 || list[0].Code != dept || !list[0].Active || list[1].ParentCode != dept {
		t.Fatalf("directory %+v", list)
	}
	if _, err := e.h.AddAgency("bad code", "x", ""); err == nil {
		t.Fatal("bad agency code accepted")
	}
	if _, err := e.h.AddAgency(dept, "again", ""); err == nil {
		t.Fatal("duplicate agency accepted")
	}
}

func TestStrangerSeesNothing(t *testing.T) {
	e := newEnv(t)
	hx := e.putBlob(commune, []byte("giấy chứng sinh"))
	tr := e.mustCreate(commune, sample(dept, api.Document{Name: "Giấy chứng sinh", Originals: 1, SHA256: hx}))

	e.do(stranger, "GET", "/v1/transfers/"+tr.ID, nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.do(stranger, "GET", "/v1/transfers/tr_doesnotexist", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.do(stranger, "GET", "/v1/blobs/sha256/"+hx, nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	if r := e.do(stranger, "HEAD", "/v1/blobs/sha256/"+hx, nil, nil); r.status != http.StatusNotFound {
		t.Fatalf("HEAD by a stranger: %d", r.status)
	}
	e.ack(stranger, tr.ID, true).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.post(stranger, "/v1/transfers/"+tr.ID+"/recall", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.status(stranger, tr.ID, 1, api.StatusProcessing).wantProblem(t, http.StatusNotFound, api.CodeNotFound)

	// A stranger cannot gain access by naming a hash it does not hold.
	r := e.create(stranger, sample(dept, api.Document{Name: "x", SHA256: hx}))
	r.wantProblem(t, http.StatusUnprocessableEntity, api.CodeBlobMissing)

	// Both parties see the transfer and the blob.
	for _, a := range []string{commune, dept} {
		var got api.Transfer
		r := e.do(a, "GET", "/v1/transfers/"+tr.ID, nil, nil)
		r.want(t, http.StatusOK, &got)
		if got.ID != tr.ID || r.header.Get("ETag") != `"1"` {
			t.Fatalf("%s: %+v etag %s", a, got, r.header.Get("ETag"))
		}
		e.do(a, "GET", "/v1/blobs/sha256/"+hx, nil, nil).want(t, http.StatusOK, nil)
	}
}

func TestBlobRoundTrip(t *testing.T) {
	e := newEnv(t)
	data := []byte("%PDF-1.4 bản chụp giấy tờ")
	sum := sha256.Sum256(data)
	hx := hex.EncodeToString(sum[:])
	path := "/v1/blobs/sha256/" + hx
	if r := e.do(commune, "HEAD", path, nil, nil); r.status != http.StatusNotFound {
		t.Fatalf("HEAD before upload: %d", r.status)
	}
	var b api.Blob
	r := e.do(commune, "PUT", path, bytes.NewReader(data), hdr{"Content-Type": api.MediaBinary})
	r.want(t, http.StatusCreated, &b)
	if b.SHA256 != hx || b.Size != int64(len(data)) {
		t.Fatalf("blob %+v", b)
	}
	e.do(commune, "PUT", path, bytes.NewReader(data), hdr{"Content-Type": api.MediaBinary}).want(t, http.StatusOK, nil)
	if r := e.do(commune, "HEAD", path, nil, nil); r.status != http.StatusOK || r.header.Get("Content-Length") != strconv.Itoa(len(data)) {
		t.Fatalf("HEAD: %d %v", r.status, r.header)
	}
	r = e.do(commune, "GET", path, nil, nil)
	r.want(t, http.StatusOK, nil)
	want := "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
	if !bytes.Equal(r.body, data) || r.header.Get("Repr-Digest") != want {
		t.Fatalf("GET: %q digest %q want %q", r.body, r.header.Get("Repr-Digest"), want)
	}
	if _, err := os.Stat(filepath.Join(e.h.dir, "blobs", hx[:2], hx[2:])); err != nil {
		t.Fatalf("blob file: %v", err)
	}
	// Another agency uploading the same bytes proves possession and gets 200.
	e.do(stranger, "PUT", path, bytes.NewReader(data), hdr{"Content-Type": api.MediaBinary}).want(t, http.StatusOK, nil)
	e.do(stranger, "GET", path, nil, nil).want(t, http.StatusOK, nil)
}

func TestDigestMismatchKeepsNothing(t *testing.T) {
	e := newEnv(t)
	sum := sha256.Sum256([]byte("expected"))
	hx := hex.EncodeToString(sum[:])
	e.do(commune, "PUT", "/v1/blobs/sha256/"+hx, strings.NewReader("something else"), hdr{"Content-Type": api.MediaBinary}).
		wantProblem(t, http.StatusUnprocessableEntity, api.CodeDigestMismatch)
	if r := e.do(commune, "HEAD", "/v1/blobs/sha256/"+hx, nil, nil); r.status != http.StatusNotFound {
		t.Fatalf("HEAD after mismatch: %d", r.status)
	}
	assertNoBlobFiles(t, e.h.dir)
}

func assertNoBlobFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("file left behind: %s", p)
		}
		return nil
	})
}

// zeros yields n zero bytes without holding them in memory.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

func TestOversizeBlob(t *testing.T) {
	e := newEnv(t)
	hx := strings.Repeat("0", 64)
	// Declared too large: refused before reading.
	req, _ := http.NewRequest("PUT", e.srv.URL+"/v1/blobs/sha256/"+hx, &zeros{api.MaxBlobSize + 1})
	req.ContentLength = api.MaxBlobSize + 1
	req.Header.Set("Authorization", "Bearer "+e.keys[commune])
	req.Header.Set("Content-Type", api.MediaBinary)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared oversize: %d", resp.StatusCode)
	}
	// Streamed without a length: cut at the limit.
	r := e.do(commune, "PUT", "/v1/blobs/sha256/"+hx, io.MultiReader(&zeros{api.MaxBlobSize + 1}), hdr{"Content-Type": api.MediaBinary})
	r.wantProblem(t, http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge)
	assertNoBlobFiles(t, e.h.dir)
}

func TestOversizeJSON(t *testing.T) {
	e := newEnv(t)
	req := sample(dept)
	req.Dossier.Note = strings.Repeat("x", api.MaxJSONBody)
	e.create(commune, req).wantProblem(t, http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge)
}

func TestUnknownJSONFieldRejected(t *testing.T) {
	e := newEnv(t)
	tr := e.mustCreate(commune, sample(dept))
	e.post(dept, "/v1/transfers/"+tr.ID+"/ack", []byte(`{"accepted":true,"acepted":false}`), nil).
		wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	body := []byte(strings.Replace(string(mustJSON(t, sample(dept))), `"summary"`, `"sumary"`, 1))
	e.post(commune, "/v1/transfers", body, hdr{api.HeaderIdempotencyKey: newKey()}).
		wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
}

func TestSchemaValidation(t *testing.T) {
	e := newEnv(t)
	for name, mutate := range map[string]func(s string) string{
		"channel out of range": func(s string) string { return strings.Replace(s, `"channel":1`, `"channel":7`, 1) },
		"time without offset": func(s string) string {
			return strings.Replace(s, `"received_at":"2026-01-15T09:30:00+07:00"`, `"received_at":"2026-01-15T09:30:00"`, 1)
		},
		"bad agency code": func(s string) string { return strings.Replace(s, `"to_agency":"`+dept+`"`, `"to_agency":"H56"`, 1) },
		"bad purpose":     func(s string) string { return strings.Replace(s, `"purpose":"process"`, `"purpose":"other"`, 1) },
	} {
		t.Run(name, func(t *testing.T) {
			body := mutate(string(mustJSON(t, sample(dept))))
			p := e.post(commune, "/v1/transfers", []byte(body), hdr{api.HeaderIdempotencyKey: newKey()}).
				wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
			if len(p.Errors) == 0 || p.Errors[0].Pointer == "" {
				t.Errorf("no pointer: %+v", p)
			}
		})
	}
	e.do(dept, "GET", "/v1/inbox?limit=501", nil, nil).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	e.do(dept, "GET", "/v1/inbox?wait=31", nil, nil).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	e.do(dept, "GET", "/v1/transfers?role=boss", nil, nil).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	docs := make([]api.Document, api.MaxDocuments+1)
	for i := range docs {
		docs[i] = api.Document{Name: "tờ " + strconv.Itoa(i), Copies: 1}
	}
	e.create(commune, sample(dept, docs...)).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := jsonMarshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWrongContentType(t *testing.T) {
	e := newEnv(t)
	e.post(commune, "/v1/transfers", mustJSON(t, sample(dept)), hdr{"Content-Type": "text/plain", api.HeaderIdempotencyKey: newKey()}).
		wantProblem(t, http.StatusUnsupportedMediaType, api.CodeUnsupportedMediaType)
	e.post(commune, "/v1/transfers", mustJSON(t, sample(dept)), hdr{"Content-Type": "", api.HeaderIdempotencyKey: newKey()}).
		wantProblem(t, http.StatusUnsupportedMediaType, api.CodeUnsupportedMediaType)
	hx := strings.Repeat("a", 64)
	e.do(commune, "PUT", "/v1/blobs/sha256/"+hx, strings.NewReader("{}"), hdr{"Content-Type": api.MediaJSON}).
		wantProblem(t, http.StatusUnsupportedMediaType, api.CodeUnsupportedMediaType)
	// A charset parameter is fine.
	e.post(commune, "/v1/transfers", mustJSON(t, sample(dept)), hdr{"Content-Type": "application/json; charset=utf-8", api.HeaderIdempotencyKey: newKey()}).
		want(t, http.StatusCreated, nil)
}

func TestIdempotencyKeyMissing(t *testing.T) {
	e := newEnv(t)
	e.post(commune, "/v1/transfers", sample(dept), nil).wantProblem(t, http.StatusBadRequest, api.CodeIdempotencyKeyMissing)
	tr := e.mustCreate(commune, sample(dept))
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, nil)
	e.post(dept, "/v1/transfers/"+tr.ID+"/status", statusReq(api.StatusProcessing), hdr{api.HeaderIfMatch: `"2"`}).
		wantProblem(t, http.StatusBadRequest, api.CodeIdempotencyKeyMissing)
}

func TestIdempotentReplay(t *testing.T) {
	e := newEnv(t)
	req := sample(dept)
	key := newKey()
	first := e.post(commune, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: key})
	first.want(t, http.StatusCreated, nil)
	if first.header.Get(api.HeaderIdempotentReplayed) != "" {
		t.Fatal("first response marked as replayed")
	}
	again := e.post(commune, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: key})
	if again.status != first.status || !bytes.Equal(again.body, first.body) ||
		again.header.Get("Location") != first.header.Get("Location") || again.header.Get("ETag") != first.header.Get("ETag") {
		t.Fatalf("replay %d %s\nfirst %d %s", again.status, again.body, first.status, first.body)
	}
	if again.header.Get(api.HeaderIdempotentReplayed) != "true" {
		t.Fatal("no Idempotent-Replayed: true")
	}
	if evs := e.allEvents(dept); len(evs) != 1 {
		t.Fatalf("%d events after a replay, want 1", len(evs))
	}
	// The same key from another agency is another key.
	e.post(stranger, "/v1/transfers", sample(dept), hdr{api.HeaderIdempotencyKey: key}).want(t, http.StatusCreated, nil)

	// Status changes replay too, even once the version moved on.
	var tr api.Transfer
	first.want(t, http.StatusCreated, &tr)
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, nil)
	skey := newKey()
	h := hdr{api.HeaderIdempotencyKey: skey, api.HeaderIfMatch: `"2"`}
	s1 := e.post(dept, "/v1/transfers/"+tr.ID+"/status", statusReq(api.StatusProcessing), h)
	s1.want(t, http.StatusOK, nil)
	s2 := e.post(dept, "/v1/transfers/"+tr.ID+"/status", statusReq(api.StatusProcessing), h)
	if s2.status != http.StatusOK || !bytes.Equal(s1.body, s2.body) || s2.header.Get(api.HeaderIdempotentReplayed) != "true" || s2.header.Get("ETag") != `"3"` {
		t.Fatalf("status replay %d %v %s", s2.status, s2.header, s2.body)
	}
}

func TestIdempotencyKeyReused(t *testing.T) {
	e := newEnv(t)
	key := newKey()
	e.post(commune, "/v1/transfers", sample(dept), hdr{api.HeaderIdempotencyKey: key}).want(t, http.StatusCreated, nil)
	e.post(commune, "/v1/transfers", sample(dept), hdr{api.HeaderIdempotencyKey: key}).
		wantProblem(t, http.StatusUnprocessableEntity, api.CodeIdempotencyKeyReused)
}

func TestFailedRequestIsNotRemembered(t *testing.T) {
	e := newEnv(t)
	data := []byte("uploaded later")
	sum := sha256.Sum256(data)
	hx := hex.EncodeToString(sum[:])
	req := sample(dept, api.Document{Name: "Tờ khai", SHA256: hx})
	key := newKey()
	e.post(commune, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: key}).wantProblem(t, http.StatusUnprocessableEntity, api.CodeBlobMissing)
	e.putBlob(commune, data)
	e.post(commune, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: key}).want(t, http.StatusCreated, nil)
}

func TestRequestInProgress(t *testing.T) {
	e := newEnv(t)
	req := sample(dept)
	body := mustJSON(t, req)
	key := newKey()
	// Hold the key as if its first request were still running.
	k := newIdemKey(commune, key, "POST", "/v1/transfers", body)
	if !e.h.inflight.begin(k) {
		t.Fatal("begin")
	}
	e.post(commune, "/v1/transfers", body, hdr{api.HeaderIdempotencyKey: key}).
		wantProblem(t, http.StatusConflict, api.CodeRequestInProgress)
	e.h.inflight.end(k)
	e.post(commune, "/v1/transfers", body, hdr{api.HeaderIdempotencyKey: key}).want(t, http.StatusCreated, nil)
}

func TestConcurrentSameKeyCreatesOnce(t *testing.T) {
	e := newEnv(t)
	body := mustJSON(t, sample(dept))
	key := newKey()
	var wg sync.WaitGroup
	results := make([]result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.post(commune, "/v1/transfers", body, hdr{api.HeaderIdempotencyKey: key})
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.status != http.StatusCreated && !(r.status == http.StatusConflict && r.problem(t).Code == api.CodeRequestInProgress) {
			t.Fatalf("status %d %s", r.status, r.body)
		}
	}
	if n := len(e.allEvents(dept)); n != 1 {
		t.Fatalf("%d transfers created, want 1", n)
	}
}

func TestBlobMissing(t *testing.T) {
	e := newEnv(t)
	have := e.putBlob(commune, []byte("có"))
	miss1, miss2 := strings.Repeat("1", 64), strings.Repeat("2", 64)
	p := e.create(commune, sample(dept,
		api.Document{Name: "a", SHA256: miss1},
		api.Document{Name: "b", SHA256: have},
		api.Document{Name: "c (paper only)", Originals: 1},
		api.Document{Name: "d", SHA256: miss2},
	)).wantProblem(t, http.StatusUnprocessableEntity, api.CodeBlobMissing)
	if len(p.Errors) != 2 || p.Errors[0].Pointer != "/dossier/documents/0/sha256" || p.Errors[1].Pointer != "/dossier/documents/3/sha256" ||
		!strings.Contains(p.Errors[0].Detail, miss1) || !strings.Contains(p.Errors[1].Detail, miss2) {
		t.Fatalf("errors %+v", p.Errors)
	}
}

func TestRecipientRules(t *testing.T) {
	e := newEnv(t)
	r := e.create(commune, sample("999.99.99.Z99"))
	if p := r.wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed); p.Errors[0].Pointer != "/to_agency" {
		t.Fatalf("%+v", p)
	}
	e.create(commune, sample(commune)).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	if err := e.h.SetAgencyActive(dept, false); err != nil {
		t.Fatal(err)
	}
	e.create(commune, sample(dept)).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	if err := e.h.SetAgencyActive(dept, true); err != nil {
		t.Fatal(err)
	}
	e.create(commune, sample(dept)).want(t, http.StatusCreated, nil)
}

func TestCreateReturnsLocationAndETag(t *testing.T) {
	e := newEnv(t)
	var tr api.Transfer
	r := e.create(commune, sample(dept))
	r.want(t, http.StatusCreated, &tr)
	if r.header.Get("Location") != "/v1/transfers/"+tr.ID || r.header.Get("ETag") != `"1"` {
		t.Fatalf("headers %v", r.header)
	}
	if tr.State != api.StatePending || tr.Version != 1 || tr.FromAgency != commune || tr.ToAgency != dept ||
		tr.Dossier.Applicant.FullName != "Nguyễn Văn An" || tr.Dossier.FormData["child_name"] != "Nguyễn Văn Bình" {
		t.Fatalf("transfer %+v", tr)
	}
	if _, off := tr.CreatedAt.Zone(); off != 7*3600 {
		t.Fatalf("created_at %v not in +07:00", tr.CreatedAt)
	}
	if !strings.Contains(string(r.body), "+07:00") {
		t.Fatalf("times without +07:00: %s", r.body)
	}
}

func TestDuplicateTransfer(t *testing.T) {
	e := newEnv(t)
	req := sample(dept)
	first := e.mustCreate(commune, req)
	p := e.create(commune, req).wantProblem(t, http.StatusConflict, api.CodeDuplicateTransfer)
	if p.TransferID != first.ID || !strings.Contains(p.Detail, first.ID) {
		t.Fatalf("problem does not name %s: %+v", first.ID, p)
	}
	// Another purpose is another business key.
	other := req
	other.Purpose = api.PurposeSupplement
	e.create(commune, other).want(t, http.StatusCreated, nil)
	// Once recalled, the dossier may be sent again.
	e.post(commune, "/v1/transfers/"+first.ID+"/recall", api.RecallRequest{Reason: "gửi nhầm"}, nil).want(t, http.StatusOK, nil)
	second := e.mustCreate(commune, req)
	// Rejected transfers do not block either.
	e.ack(dept, second.ID, false).want(t, http.StatusOK, nil)
	third := e.mustCreate(commune, req)
	// Accepted (and completed) ones do.
	e.ack(dept, third.ID, true).want(t, http.StatusOK, nil)
	e.create(commune, req).wantProblem(t, http.StatusConflict, api.CodeDuplicateTransfer)
}

func TestAckTwice(t *testing.T) {
	e := newEnv(t)
	tr := e.mustCreate(commune, sample(dept))
	var a1, a2 api.Transfer
	r1 := e.ack(dept, tr.ID, true)
	r1.want(t, http.StatusOK, &a1)
	if a1.State != api.StateAccepted || a1.Version != 2 || a1.Ack == nil || a1.Ack.LocalCode != "LOCAL-1" || r1.header.Get("ETag") != `"2"` {
		t.Fatalf("after ack %+v", a1)
	}
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, &a2)
	if a2.Version != 2 || a2.State != api.StateAccepted {
		t.Fatalf("second ack %+v", a2)
	}
	e.ack(dept, tr.ID, false).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	// Only the recipient acknowledges.
	e.ack(commune, tr.ID, true).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	// One event for the sender, however many acks.
	evs := e.allEvents(commune)
	if len(evs) != 1 || evs[0].Type != api.EventAccepted || evs[0].Data.Ack == nil || evs[0].Version != 2 {
		t.Fatalf("sender events %+v", evs)
	}
	// A refusal needs a reason.
	tr2 := e.mustCreate(commune, sample(dept))
	e.post(dept, "/v1/transfers/"+tr2.ID+"/ack", api.AckRequest{Accepted: false}, nil).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	e.ack(dept, tr2.ID, false).want(t, http.StatusOK, nil)
	if evs := e.allEvents(commune); evs[len(evs)-1].Type != api.EventRejected {
		t.Fatalf("no rejected event: %+v", evs)
	}
}

func TestStatusRoles(t *testing.T) {
	e := newEnv(t)
	tr := e.mustCreate(commune, sample(dept))
	// Nothing before the recipient accepted.
	e.status(dept, tr.ID, 1, api.StatusProcessing).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, nil)
	v := int64(2)
	step := func(agency string, code api.StatusCode, want api.TransferState) {
		t.Helper()
		var got api.Transfer
		r := e.status(agency, tr.ID, v, code)
		r.want(t, http.StatusOK, &got)
		v++
		if got.Version != v || got.State != want || got.Dossier.StatusCode != code || r.header.Get("ETag") != api.ETag(v) {
			t.Fatalf("after %d by %s: %+v", code, agency, got)
		}
	}
	for _, bad := range []api.StatusCode{api.StatusSubmitted, api.StatusReceived, api.StatusRefused, api.StatusWithdrawn, api.StatusReturned} {
		e.status(dept, tr.ID, v, bad).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	}
	for _, bad := range []api.StatusCode{api.StatusProcessing, api.StatusSupplement, api.StatusPaymentRequired, api.StatusStopped, api.StatusResolved} {
		e.status(commune, tr.ID, v, bad).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	}
	step(dept, api.StatusProcessing, api.StateAccepted)
	step(dept, api.StatusSupplement, api.StateAccepted)
	step(dept, api.StatusPaymentRequired, api.StateAccepted)
	step(commune, api.StatusWithdrawn, api.StateAccepted)
	step(dept, api.StatusStopped, api.StateAccepted)
	// Status 5 needs the request, 9 the results.
	noSupp := statusReq(api.StatusSupplement)
	noSupp.Supplement = nil
	e.post(dept, "/v1/transfers/"+tr.ID+"/status", noSupp, hdr{api.HeaderIdempotencyKey: newKey(), api.HeaderIfMatch: api.ETag(v)}).
		wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	noRes := statusReq(api.StatusResolved)
	noRes.Results = nil
	e.post(dept, "/v1/transfers/"+tr.ID+"/status", noRes, hdr{api.HeaderIdempotencyKey: newKey(), api.HeaderIfMatch: api.ETag(v)}).
		wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	// The result's scan becomes visible to the sender.
	scan := e.putBlob(dept, []byte("giấy khai sinh bản điện tử"))
	res := statusReq(api.StatusResolved)
	res.Results[0].SHA256 = scan
	res.NewDueAt = time.Date(2026, 1, 22, 17, 0, 0, 0, Vietnam)
	var done api.Transfer
	e.post(dept, "/v1/transfers/"+tr.ID+"/status", res, hdr{api.HeaderIdempotencyKey: newKey(), api.HeaderIfMatch: api.ETag(v)}).want(t, http.StatusOK, &done)
	v++
	if done.State != api.StateCompleted || done.LastStatus == nil || done.LastStatus.Results[0].SHA256 != scan || !done.Dossier.DueAt.Equal(res.NewDueAt) {
		t.Fatalf("after 9: %+v", done)
	}
	e.do(commune, "GET", "/v1/blobs/sha256/"+scan, nil, nil).want(t, http.StatusOK, nil)
	// After 9 the recipient is done; the sender hands the result over (10).
	e.status(dept, tr.ID, v, api.StatusProcessing).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	step(commune, api.StatusReturned, api.StateCompleted)
	e.status(commune, tr.ID, v, api.StatusReturned).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)

	// Each change reached the other party, in order.
	var toSender, toRecipient []api.StatusCode
	for _, ev := range e.allEvents(commune) {
		if ev.Type == api.EventStatusChanged {
			toSender = append(toSender, ev.Data.Status.StatusCode)
		}
	}
	for _, ev := range e.allEvents(dept) {
		if ev.Type == api.EventStatusChanged {
			toRecipient = append(toRecipient, ev.Data.Status.StatusCode)
		}
	}
	if fmt.Sprint(toSender) != "[4 5 6 8 9]" || fmt.Sprint(toRecipient) != "[7 10]" {
		t.Fatalf("events to sender %v, to recipient %v", toSender, toRecipient)
	}
}

func TestIfMatch(t *testing.T) {
	e := newEnv(t)
	tr := e.mustCreate(commune, sample(dept))
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, nil)
	path := "/v1/transfers/" + tr.ID + "/status"
	e.post(dept, path, statusReq(api.StatusProcessing), hdr{api.HeaderIdempotencyKey: newKey()}).
		wantProblem(t, http.StatusPreconditionRequired, api.CodePreconditionRequired)
	e.post(dept, path, statusReq(api.StatusProcessing), hdr{api.HeaderIdempotencyKey: newKey(), api.HeaderIfMatch: `"1"`}).
		wantProblem(t, http.StatusPreconditionFailed, api.CodeVersionMismatch)
	e.post(dept, path, statusReq(api.StatusProcessing), hdr{api.HeaderIdempotencyKey: newKey(), api.HeaderIfMatch: `"2"`}).
		want(t, http.StatusOK, nil)
	e.post(dept, path, statusReq(api.StatusProcessing), hdr{api.HeaderIdempotencyKey: newKey(), api.HeaderIfMatch: `"2"`}).
		wantProblem(t, http.StatusPreconditionFailed, api.CodeVersionMismatch)
}

func TestRecall(t *testing.T) {
	e := newEnv(t)
	tr := e.mustCreate(commune, sample(dept))
	e.post(dept, "/v1/transfers/"+tr.ID+"/recall", nil, hdr{"Content-Type": ""}).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	var got api.Transfer
	e.post(commune, "/v1/transfers/"+tr.ID+"/recall", nil, hdr{"Content-Type": ""}).want(t, http.StatusOK, &got)
	if got.State != api.StateRecalled || got.Version != 2 || got.Recall == nil {
		t.Fatalf("recalled %+v", got)
	}
	e.post(commune, "/v1/transfers/"+tr.ID+"/recall", api.RecallRequest{}, nil).want(t, http.StatusOK, nil)
	e.ack(dept, tr.ID, true).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	evs := e.allEvents(dept)
	if len(evs) != 2 || evs[1].Type != api.EventRecalled || evs[1].Version != 2 {
		t.Fatalf("recipient events %+v", evs)
	}
}

func TestRecallAfterAccept(t *testing.T) {
	e := newEnv(t)
	tr := e.mustCreate(commune, sample(dept))
	e.ack(dept, tr.ID, true).want(t, http.StatusOK, nil)
	e.post(commune, "/v1/transfers/"+tr.ID+"/recall", api.RecallRequest{Reason: "muộn"}, nil).
		wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
}

func TestInboxCursorOrder(t *testing.T) {
	e := newEnv(t)
	const n = 23
	var ids []string
	for range n {
		ids = append(ids, e.mustCreate(commune, sample(dept)).ID)
	}
	// Interleave events for the sender too: they must not disturb the recipient's seq.
	e.ack(dept, ids[0], true).want(t, http.StatusOK, nil)
	var all []api.Event
	cursor, pages := "", 0
	for {
		p := e.inbox(dept, cursor, 5)
		pages++
		if len(p.Events) > 5 {
			t.Fatalf("page of %d", len(p.Events))
		}
		all = append(all, p.Events...)
		if p.NextCursor == "" {
			t.Fatal("empty next_cursor")
		}
		cursor = p.NextCursor
		if !p.HasMore {
			break
		}
	}
	if len(all) != n || pages != 5 {
		t.Fatalf("%d events in %d pages", len(all), pages)
	}
	seen := map[string]bool{}
	for i, ev := range all {
		if ev.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d: skipped or out of order", i, ev.Seq)
		}
		if ev.TransferID != ids[i] || ev.Type != api.EventReceived || ev.Data.Transfer == nil || ev.ToAgency != dept {
			t.Fatalf("event %d: %+v", i, ev)
		}
		if seen[ev.ID] {
			t.Fatalf("duplicate event id %s", ev.ID)
		}
		seen[ev.ID] = true
	}
	// The last cursor gives an empty page that keeps the position.
	p := e.inbox(dept, cursor, 5)
	if len(p.Events) != 0 || p.HasMore || p.NextCursor != cursor {
		t.Fatalf("after the end: %+v", p)
	}
	// A new event continues right after.
	e.mustCreate(commune, sample(dept))
	p = e.inbox(dept, cursor, 5)
	if len(p.Events) != 1 || p.Events[0].Seq != n+1 {
		t.Fatalf("next event: %+v", p)
	}
}

func TestGarbledCursor(t *testing.T) {
	e := newEnv(t)
	e.mustCreate(commune, sample(dept))
	own := e.inbox(dept, "", 10).NextCursor
	for name, c := range map[string]string{
		"garbage":        "!!not-a-cursor~",
		"base64 garbage": base64.RawURLEncoding.EncodeToString([]byte("hello")),
		"another agency": own, // read by the commune
		"future":         encodeCursor("i1", dept, "99"),
		"list cursor":    encodeCursor("l1", dept, "sender", "1"),
	} {
		t.Run(name, func(t *testing.T) {
			agency := dept
			if name == "another agency" {
				agency = commune
			}
			e.do(agency, "GET", "/v1/inbox?cursor="+c, nil, nil).wantProblem(t, http.StatusGone, api.CodeCursorExpired)
		})
	}
	e.do(dept, "GET", "/v1/transfers?role=recipient&cursor=xyz", nil, nil).wantProblem(t, http.StatusGone, api.CodeCursorExpired)
}

func TestExpiredCursorAfterPruning(t *testing.T) {
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, Vietnam)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, func(o *Options) { o.Now = clock })
	start := e.inbox(dept, "", 10).NextCursor // before anything happened
	e.mustCreate(commune, sample(dept))
	e.mustCreate(commune, sample(dept))
	mu.Lock()
	now = now.Add(29 * 24 * time.Hour)
	mu.Unlock()
	third := e.mustCreate(commune, sample(dept))
	if ev, _, err := e.h.Prune(); err != nil || ev != 0 {
		t.Fatalf("pruned %d events at 29 days: %v", ev, err)
	}
	mu.Lock()
	now = now.Add(2 * 24 * time.Hour) // the first two are now 31 days old
	mu.Unlock()
	if ev, _, err := e.h.Prune(); err != nil || ev != 2 {
		t.Fatalf("pruned %d events, want 2: %v", ev, err)
	}
	e.do(dept, "GET", "/v1/inbox?cursor="+start, nil, nil).wantProblem(t, http.StatusGone, api.CodeCursorExpired)
	p := e.inbox(dept, "", 10)
	if len(p.Events) != 1 || p.Events[0].TransferID != third.ID || p.Events[0].Seq != 3 {
		t.Fatalf("after pruning: %+v", p)
	}
}

func TestLongPollWakesOnCommit(t *testing.T) {
	e := newEnv(t)
	cursor := e.inbox(dept, "", 10).NextCursor
	const wait = 10 * time.Second
	type out struct {
		r       result
		elapsed time.Duration
	}
	done := make(chan out, 1)
	go func() {
		start := time.Now()
		r := e.do(dept, "GET", "/v1/inbox?wait=10&cursor="+cursor, nil, nil)
		done <- out{r, time.Since(start)}
	}()
	// Wait (with a deadline) until the long-poll is parked on the notifier.
	deadline := time.Now().Add(5 * time.Second)
	for !e.h.notify.waiting(dept) {
		if time.Now().After(deadline) {
			t.Fatal("the long-poll never started waiting")
		}
		select {
		case o := <-done:
			t.Fatalf("long-poll returned early: %d %s", o.r.status, o.r.body)
		case <-time.After(5 * time.Millisecond):
		}
	}
	tr := e.mustCreate(commune, sample(dept))
	o := <-done
	var p api.InboxPage
	o.r.want(t, http.StatusOK, &p)
	if len(p.Events) != 1 || p.Events[0].TransferID != tr.ID {
		t.Fatalf("long-poll page %+v", p)
	}
	if o.elapsed >= wait {
		t.Fatalf("long-poll took %v, the whole wait", o.elapsed)
	}
	t.Logf("long-poll answered after %v", o.elapsed)
}

func TestLongPollTimesOutEmpty(t *testing.T) {
	e := newEnv(t)
	start := time.Now()
	var p api.InboxPage
	e.do(dept, "GET", "/v1/inbox?wait=1", nil, nil).want(t, http.StatusOK, &p)
	if len(p.Events) != 0 || time.Since(start) < time.Second {
		t.Fatalf("page %+v after %v", p, time.Since(start))
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.RateLimit = 0.5; o.RateBurst = 3 })
	for i := range 3 {
		e.do(commune, "GET", "/v1/agencies", nil, nil).want(t, http.StatusOK, nil)
		_ = i
	}
	r := e.do(commune, "GET", "/v1/agencies", nil, nil)
	r.wantProblem(t, http.StatusTooManyRequests, api.CodeRateLimited)
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 2 {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// Another key has its own bucket.
	e.do(dept, "GET", "/v1/agencies", nil, nil).want(t, http.StatusOK, nil)
	// Health is not limited.
	e.do("", "GET", "/v1/health", nil, nil).want(t, http.StatusOK, nil)
}

func TestListTransfers(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for range 7 {
		ids = append(ids, e.mustCreate(commune, sample(dept)).ID)
	}
	e.mustCreate(stranger, sample(dept))
	list := func(agency, role string) []string {
		var got []string
		cursor := ""
		for {
			var p api.TransferPage
			e.do(agency, "GET", "/v1/transfers?role="+role+"&limit=3&cursor="+cursor, nil, nil).want(t, http.StatusOK, &p)
			for _, tr := range p.Transfers {
				got = append(got, tr.ID)
			}
			cursor = p.NextCursor
			if !p.HasMore {
				return got
			}
		}
	}
	if got := list(commune, "sender"); fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Fatalf("sender list %v, want %v", got, ids)
	}
	if got := list(dept, "recipient"); len(got) != 8 || fmt.Sprint(got[:7]) != fmt.Sprint(ids) {
		t.Fatalf("recipient list %v", got)
	}
	if got := list(commune, "recipient"); len(got) != 0 {
		t.Fatalf("commune received %v", got)
	}
}

func TestUnknownEndpoint(t *testing.T) {
	e := newEnv(t)
	e.do(commune, "GET", "/v2/nothing", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
}

func TestRequestsAreLogged(t *testing.T) {
	e := newEnv(t)
	body := mustJSON(t, sample(dept))
	e.post(commune, "/v1/transfers", body, hdr{api.HeaderIdempotencyKey: newKey()}).want(t, http.StatusCreated, nil)
	sum := sha256.Sum256(body)
	for _, entry := range e.logs.AllEntries() {
		if entry.Data["path"] == "/v1/transfers" {
			if entry.Data["agency"] != commune || entry.Data["method"] != "POST" || entry.Data["status"] != http.StatusCreated ||
				entry.Data["body_sha256"] != hex.EncodeToString(sum[:]) || entry.Data["duration_ms"] == nil {
				t.Fatalf("log entry %v", entry.Data)
			}
			return
		}
	}
	t.Fatal("request not logged")
}

// TestIdempotencyWindow: a replay works after 7 days; once the record is pruned
// the business key still refuses a second transfer.
func TestIdempotencyWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, Vietnam)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	e := newEnv(t, func(o *Options) { o.Now = clock })
	req := sample(dept)
	key := newKey()
	first := e.post(commune, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: key})
	first.want(t, http.StatusCreated, nil)
	var tr api.Transfer
	first.want(t, http.StatusCreated, &tr)

	advance(7*24*time.Hour + time.Hour)
	if _, n, err := e.h.Prune(); err != nil || n != 0 {
		t.Fatalf("pruned %d idempotency records after 7 days: %v", n, err)
	}
	r := e.post(commune, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: key})
	if r.status != http.StatusCreated || r.header.Get(api.HeaderIdempotentReplayed) != "true" || !bytes.Equal(r.body, first.body) {
		t.Fatalf("replay after 7 days: %d %s", r.status, r.body)
	}

	advance(2 * 24 * time.Hour)
	if _, n, err := e.h.Prune(); err != nil || n != 1 {
		t.Fatalf("pruned %d idempotency records after 9 days: %v", n, err)
	}
	p := e.post(commune, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: key}).
		wantProblem(t, http.StatusConflict, api.CodeDuplicateTransfer)
	if p.TransferID != tr.ID {
		t.Fatalf("duplicate names %s, want %s", p.TransferID, tr.ID)
	}
}

// otherLastChar changes a key's last character (to another one, whatever it was).
func otherLastChar(key string) string {
	last := key[len(key)-1]
	repl := byte('0')
	if last == '0' {
		repl = '1'
	}
	return key[:len(key)-1] + string(repl)
}
