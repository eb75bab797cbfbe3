package client_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"motcua/app"
	"motcua/hub"
)

// TestBlobCollectedBeforeCreateIsUploadedAgain: the hub deletes blobs nobody
// referenced for 7 days. Here it collects the commune's scan between the
// client's HEAD (200) and its create, which answers blob-missing: the client
// uploads the scan again and the transfer goes through, scan included.
func TestBlobCollectedBeforeCreateIsUploadedAgain(t *testing.T) {
	th := newHubDir(t)
	var mu sync.Mutex
	skew := time.Duration(0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(skew) }
	h, err := hub.OpenWith(th.dir, hub.Options{Logger: quietLogger(), RateLimit: -1, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	collected := 0
	var once sync.Once
	inner := h.Handler()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/transfers" {
			once.Do(func() {
				mu.Lock()
				skew = 8 * 24 * time.Hour
				mu.Unlock()
				collected, _ = h.CollectBlobs()
				mu.Lock()
				skew = 0
				mu.Unlock()
			})
		}
		inner.ServeHTTP(w, r)
	})
	l, err := net.Listen("tcp", th.addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(handler)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(func() { srv.Close(); h.Close() })

	com := newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
	dep := newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])
	d := com.receive("Vũ Thị Hoa")
	scan := "%PDF-1.4 bản quét tờ khai của " + d.Code
	sha, n := com.putBlob(scan)
	if _, err := com.svc.Transfer(com.rec, d.Code, app.TransferInput{ToAgency: deptCode, ToName: "Sở Tư pháp",
		Attachments: []app.SubmittedDocument{{Name: "Tờ khai", SHA256: sha, Size: n, MediaType: "application/pdf"}}}); err != nil {
		t.Fatal(err)
	}
	com.cl.Kick()
	eventually(t, wait, "the transfer to reach the department", func() bool { return len(dep.pendingIncoming()) == 1 })
	if collected != 1 {
		t.Fatalf("the hub collected %d blobs before the create", collected)
	}
	if s := com.cl.Status(); s.Parked != 0 {
		t.Fatalf("parked: %+v", s)
	}
	eventually(t, wait, "the scan at the department", func() bool { return dep.blobEquals(sha, scan) })
}
