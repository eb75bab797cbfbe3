package hub

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// Issue 13.8: the hub hardening rules, each against a real hub on 127.0.0.1.

// deepTransfer is a create body whose form_data nests n levels below it.
func deepTransfer(n int) []byte {
	body, _ := json.Marshal(sample(dept))
	return bytes.Replace(body, []byte(`"form_data":{`), []byte(`"form_data":{"x":`+strings.Repeat("[", n)+strings.Repeat("]", n)+`,`), 1)
}

func TestJSONNestingLimit(t *testing.T) {
	e := newEnv(t)
	for _, n := range []int{40, 10000} {
		r := e.post(commune, "/v1/transfers", deepTransfer(n), hdr{api.HeaderIdempotencyKey: newKey()})
		p := r.wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
		if !strings.Contains(p.Detail, "32 levels") {
			t.Fatalf("depth %d: detail %q", n, p.Detail)
		}
	}
	// 3 levels of body + 29 inside form_data = 32: accepted.
	e.post(commune, "/v1/transfers", deepTransfer(29), hdr{api.HeaderIdempotencyKey: newKey()}).want(t, http.StatusCreated, nil)
	e.post(commune, "/v1/transfers", deepTransfer(30), hdr{api.HeaderIdempotencyKey: newKey()}).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	// the recipient's feed is fine
	if evs := e.allEvents(dept); len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
}

func TestInvalidUTF8Rejected(t *testing.T) {
	e := newEnv(t)
	body, _ := json.Marshal(sample(dept))
	body = bytes.Replace(body, []byte("Nguyễn Văn An"), []byte("Nguy\xff\xfen"), 1)
	p := e.post(commune, "/v1/transfers", body, hdr{api.HeaderIdempotencyKey: newKey()}).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	if !strings.Contains(p.Detail, "UTF-8") {
		t.Fatalf("detail %q", p.Detail)
	}
}

func TestBearerCaseInsensitive(t *testing.T) {
	e := newEnv(t)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		r := e.do("", "GET", "/v1/agencies", nil, hdr{"Authorization": scheme + " " + e.keys[commune]})
		r.want(t, http.StatusOK, nil)
	}
	e.do("", "GET", "/v1/agencies", nil, hdr{"Authorization": "Bearer"}).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
	e.do("", "GET", "/v1/agencies", nil, hdr{"Authorization": "Bearerx " + e.keys[commune]}).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
}

// injectEvent stores a raw event for agency as a hub of an earlier version
// (without the nesting limit) could have.
func injectEvent(t *testing.T, h *Hub, agency string, raw func(seq uint64) []byte) {
	t.Helper()
	err := h.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bEvents).CreateBucketIfNotExists([]byte(agency))
		if err != nil {
			return err
		}
		seq, _ := b.NextSequence()
		val := make([]byte, 8)
		binary.BigEndian.PutUint64(val, uint64(time.Now().UnixNano()))
		return b.Put(be64(seq), append(val, raw(seq)...))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStoredUndecodableEventsDoNotBlockTheFeed(t *testing.T) {
	e := newEnv(t)
	first := e.mustCreate(commune, sample(dept))
	// what the issue found: a transfer.received whose form_data nests 10,000+
	// levels (encoding/json refuses to decode beyond 10,000)
	injectEvent(t, e.h, dept, func(seq uint64) []byte {
		return []byte(fmt.Sprintf(`{"id":"ev_deep","seq":%d,"type":"transfer.received","occurred_at":"2026-01-15T09:30:00+07:00","transfer_id":"tr_deep","version":1,"dossier_code":"000.00.01.H22-260115-9999","from_agency":"000.00.01.H22","to_agency":"000.00.00.H56","data":{"transfer":{"dossier":{"form_data":{"x":%s%s}}}}}`,
			seq, strings.Repeat("[", 12000), strings.Repeat("]", 12000)))
	})
	injectEvent(t, e.h, dept, func(uint64) []byte { return []byte("\x00not json at all") })
	last := e.mustCreate(commune, sample(dept))

	r := e.do(dept, "GET", "/v1/inbox?limit=500", nil, nil)
	var page api.InboxPage
	r.want(t, http.StatusOK, &page)
	if len(page.Events) != 3 {
		t.Fatalf("%d events: %s", len(page.Events), r.body)
	}
	if page.Events[0].TransferID != first.ID || page.Events[2].TransferID != last.ID || page.Events[2].Seq != 4 {
		t.Fatalf("events %+v", page.Events)
	}
	min := page.Events[1]
	if min.ID != "ev_deep" || min.Seq != 2 || min.TransferID != "tr_deep" || min.Type != api.EventReceived || min.Data.Transfer != nil {
		t.Fatalf("minimal event %+v", min)
	}
	// paging one by one crosses both bad events too
	cursor, seen := "", 0
	for i := 0; i < 5; i++ {
		p := e.inbox(dept, cursor, 1)
		seen += len(p.Events)
		cursor = p.NextCursor
		if !p.HasMore {
			break
		}
	}
	if seen != 3 {
		t.Fatalf("paged %d events", seen)
	}
	var warned, skipped bool
	for _, en := range e.logs.AllEntries() {
		warned = warned || strings.Contains(en.Message, "without data")
		skipped = skipped || strings.Contains(en.Message, "unreadable; skipped")
	}
	if !warned || !skipped {
		t.Fatalf("logged: without data %v, skipped %v", warned, skipped)
	}
}

// serveReal runs the hub behind its own http.Server (limits included), as
// motcua-hub serve does.
func serveReal(t *testing.T, e *env, so ServerOptions) (addr string, srv *http.Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv = e.h.Server(so)
	go srv.Serve(LimitListener(ln, so.MaxConns))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), srv
}

// partialPost opens a raw connection and sends a create whose body stops
// halfway.
func partialPost(t *testing.T, addr, key string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"purpose":"process","to_agency":"` + dept + `"`
	fmt.Fprintf(c, "POST /v1/transfers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nIdempotency-Key: slow-1\r\nContent-Length: 4000\r\n\r\n%s", key, body)
	return c
}

func TestSlowBodyIsCut(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BodyTimeout = 400 * time.Millisecond })
	addr, _ := serveReal(t, e, ServerOptions{})
	c := partialPost(t, addr, e.keys[commune])
	defer c.Close()
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	took := time.Since(start)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	// answered 400 or simply closed; either way well before the 5 s read deadline
	if took > 2*time.Second {
		t.Fatalf("slow body held the connection %v (err %v)", took, err)
	}
	t.Logf("slow body cut after %v (%v)", took, err)
	// a blob that stops making progress is cut the same way
	c2, _ := net.Dial("tcp", addr)
	defer c2.Close()
	fmt.Fprintf(c2, "PUT /v1/blobs/sha256/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\nabc", strings.Repeat("ab", 32), e.keys[commune])
	start = time.Now()
	c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	if resp, err := http.ReadResponse(bufio.NewReader(c2), nil); err == nil {
		resp.Body.Close()
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("stalled blob upload held %v", took)
	}
}

// TestRefusedBodyIsNotWaitedFor: a request refused before its body is read
// (here: no key) is answered at once and closed; net/http would otherwise
// drain the trickling body first, and a client without a key could hold a
// connection for as long as it trickles.
func TestRefusedBodyIsNotWaitedFor(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BodyTimeout = time.Minute })
	addr, _ := serveReal(t, e, ServerOptions{})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/transfers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{")
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to a request without a key whose body trickles: %v after %v", err, time.Since(start))
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !resp.Close || time.Since(start) > time.Second {
		t.Fatalf("status %d, close %v, after %v", resp.StatusCode, resp.Close, time.Since(start))
	}
}

func TestOpenConnectionsAreBounded(t *testing.T) {
	e := newEnv(t)
	addr, _ := serveReal(t, e, ServerOptions{MaxConns: 2})
	var held []net.Conn
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("GET /v1/health HTTP/1.1\r\n")) // headers never finish
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond)
	short := &http.Client{Timeout: 500 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := short.Get("http://" + addr + "/v1/health"); err == nil {
		resp.Body.Close()
		t.Fatalf("a third connection was served (%d) while two were open", resp.StatusCode)
	}
	held[0].Close()
	ok := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := ok.Get("http://" + addr + "/v1/health")
	if err != nil {
		t.Fatalf("after one closed: %v", err)
	}
	resp.Body.Close()
	held[1].Close()
}

func TestStalledSocketCannotDelayShutdown(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BodyTimeout = time.Minute })
	addr, srv := serveReal(t, e, ServerOptions{})
	c := partialPost(t, addr, e.keys[commune])
	defer c.Close()
	time.Sleep(200 * time.Millisecond) // the request is in its handler, reading
	start := time.Now()
	if err := Shutdown(srv, 500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Fatalf("shutdown took %v with a 500 ms grace", took)
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 512)
	for {
		if _, err := c.Read(buf); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the stalled socket is still open after shutdown")
			}
			break
		}
	}
}

// TestCheapChecksFirst: a body the schema would reject is never looked at
// when the key, the rate, the media type or the size already say no.
func TestCheapChecksFirst(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.RateLimit = 0.001; o.RateBurst = 2 })
	bad := []byte(`{"purpose":"nonsense","to_agency":12}`)
	e.post("", "/v1/transfers", bad, hdr{api.HeaderIdempotencyKey: newKey()}).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
	e.post(commune, "/v1/transfers", bad, hdr{api.HeaderIdempotencyKey: newKey(), "Content-Type": "text/plain"}).wantProblem(t, http.StatusUnsupportedMediaType, api.CodeUnsupportedMediaType)
	huge := append([]byte(`{"purpose":"nonsense","x":"`), bytes.Repeat([]byte("a"), api.MaxJSONBody)...)
	e.post(commune, "/v1/transfers", huge, hdr{api.HeaderIdempotencyKey: newKey()}).wantProblem(t, http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge)
	// the burst is spent: now even a schema-invalid body gets 429, not 400
	e.post(commune, "/v1/transfers", bad, hdr{api.HeaderIdempotencyKey: newKey()}).wantProblem(t, http.StatusTooManyRequests, api.CodeRateLimited)
}

func TestUnreferencedBlobsAreCollected(t *testing.T) {
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, Vietnam)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	e := newEnv(t, func(o *Options) { o.Now = clock })
	orphan := e.putBlob(commune, []byte("a scan nobody sent"))
	kept := e.putBlob(commune, []byte("a scan that travels"))
	e.mustCreate(commune, sample(dept, api.Document{Name: "Tờ khai", Originals: 1, SHA256: kept, Size: 19}))
	used := e.h.BlobUsage(commune)

	advance(6 * 24 * time.Hour)
	if n, err := e.h.CollectBlobs(); err != nil || n != 0 {
		t.Fatalf("after 6 days collected %d: %v", n, err)
	}
	advance(24*time.Hour + time.Minute)
	if n, err := e.h.CollectBlobs(); err != nil || n != 1 {
		t.Fatalf("after 7 days collected %d: %v", n, err)
	}
	e.do(commune, "HEAD", "/v1/blobs/sha256/"+orphan, nil, nil).want(t, http.StatusNotFound, nil)
	if _, err := os.Stat(e.h.blobPath(orphan)); !os.IsNotExist(err) {
		t.Fatalf("orphan file still there: %v", err)
	}
	e.do(dept, "HEAD", "/v1/blobs/sha256/"+kept, nil, nil).want(t, http.StatusOK, nil)
	if got := e.h.BlobUsage(commune); got != used-int64(len("a scan nobody sent")) {
		t.Fatalf("usage %d, was %d", got, used)
	}
	// a create that names the collected blob answers blob-missing; after a
	// fresh upload (what the desktop does) it goes through
	req := sample(dept, api.Document{Name: "Tờ khai", Originals: 1, SHA256: orphan, Size: 18})
	e.create(commune, req).wantProblem(t, http.StatusUnprocessableEntity, api.CodeBlobMissing)
	e.putBlob(commune, []byte("a scan nobody sent"))
	e.create(commune, req).want(t, http.StatusCreated, nil)
}

func TestBlobQuota(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BlobQuota = 1000 })
	a := bytes.Repeat([]byte("a"), 600)
	e.putBlob(commune, a)
	e.putBlob(commune, a) // the same blob again costs nothing
	b := bytes.Repeat([]byte("b"), 600)
	sum := sha256hex(b)
	r := e.do(commune, "PUT", "/v1/blobs/sha256/"+sum, bytes.NewReader(b), hdr{"Content-Type": api.MediaBinary})
	p := r.wantProblem(t, http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge)
	if !strings.Contains(p.Detail, "quota") || !strings.Contains(p.Detail, "600 of 1000") {
		t.Fatalf("detail %q", p.Detail)
	}
	// another agency has its own quota
	e.putBlob(dept, b)
	if e.h.BlobUsage(commune) != 600 || e.h.BlobUsage(dept) != 600 {
		t.Fatalf("usage %d / %d", e.h.BlobUsage(commune), e.h.BlobUsage(dept))
	}
	// chunked (no Content-Length): checked after hashing, nothing kept
	req, _ := http.NewRequest("PUT", e.srv.URL+"/v1/blobs/sha256/"+sum, struct{ *bytes.Reader }{bytes.NewReader(b)})
	req.Header.Set("Authorization", "Bearer "+e.keys[commune])
	req.Header.Set("Content-Type", api.MediaBinary)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || e.h.BlobUsage(commune) != 600 {
		t.Fatalf("chunked over quota: %d, usage %d", resp.StatusCode, e.h.BlobUsage(commune))
	}
}

func TestIdempotencyRecordsDoNotGrowTheFile(t *testing.T) {
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, Vietnam)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, func(o *Options) { o.Now = clock })
	for i := 0; i < 20; i++ {
		e.mustCreate(commune, sample(dept))
	}
	count := func() (n int) {
		e.h.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bIdem).Stats().KeyN; return nil })
		return n
	}
	if count() != 20 {
		t.Fatalf("%d records", count())
	}
	mu.Lock()
	now = now.Add(9 * 24 * time.Hour)
	mu.Unlock()
	if _, n, err := e.h.Prune(); err != nil || n != 20 || count() != 0 {
		t.Fatalf("pruned %d, left %d: %v", n, count(), err)
	}
}

func sha256hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestStoredUndecodableTransferDoesNotBlockTheList(t *testing.T) {
	e := newEnv(t)
	first := e.mustCreate(commune, sample(dept))
	bad := e.mustCreate(commune, sample(dept))
	last := e.mustCreate(commune, sample(dept))
	// overwrite the middle one as an older hub could have stored it
	err := e.h.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bTransfers).Put([]byte(bad.ID), []byte(`{"id":"`+bad.ID+`","dossier":{"form_data":{"x":`+strings.Repeat("[", 12000)+strings.Repeat("]", 12000)+`}}}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	var page api.TransferPage
	e.do(dept, "GET", "/v1/transfers?role=recipient", nil, nil).want(t, http.StatusOK, &page)
	if len(page.Transfers) != 2 || page.Transfers[0].ID != first.ID || page.Transfers[1].ID != last.ID {
		t.Fatalf("list %+v", page.Transfers)
	}
	// paging one by one goes past it too
	var p1, p2 api.TransferPage
	e.do(dept, "GET", "/v1/transfers?role=recipient&limit=1", nil, nil).want(t, http.StatusOK, &p1)
	e.do(dept, "GET", "/v1/transfers?role=recipient&limit=1&cursor="+p1.NextCursor, nil, nil).want(t, http.StatusOK, &p2)
	if len(p2.Transfers) != 1 || p2.Transfers[0].ID != last.ID {
		t.Fatalf("second page %+v", p2.Transfers)
	}
}
