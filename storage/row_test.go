package storage

import (
	"testing"
	"time"

	"motcua/app"
)

func TestRowRoundTrip(t *testing.T) {
	d := dossier(app.DossierCode(testAgency, day0, 1), "Đặng Thị Đào", app.StateSupplement, day0)
	d.Applicant.IDNumber, d.Applicant.Phone = "001185009999", "0387654321"
	raw, err := encodeRow(summaryOf(&d))
	if err != nil {
		t.Fatal(err)
	}
	h, err := decodeHead(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !h.open || string(h.state) != "supplement" || string(h.proc) != "1.001193" || string(h.fold) != "dang thi dao" ||
		h.recv != bytesU64(timeKey(day0)) || h.due != bytesU64(timeKey(d.DueAt)) {
		t.Errorf("head = %+v", h)
	}
	r, err := decodeRow(raw)
	if err != nil || !sameJSON(r.DossierSummary, d.Row()) || r.Version != 1 {
		t.Errorf("row = %+v, %v", r, err)
	}
	for _, bad := range [][]byte{nil, {2}, raw[:17], raw[:20]} {
		if _, err := decodeHead(bad); err == nil {
			t.Errorf("decoded %q", bad)
		}
	}
	d.DueAt = time.Time{}
	raw, _ = encodeRow(summaryOf(&d))
	if h, _ := decodeHead(raw); h.due != noDue {
		t.Errorf("no due encodes as %d", h.due)
	}
}

func TestHasWord(t *testing.T) {
	fold := []byte("nguyen van anh, 2b-tran")
	for _, c := range []struct {
		w      string
		prefix bool
		want   bool
	}{
		{"nguyen", false, true}, {"nguy", false, false}, {"nguy", true, true}, {"van", false, true},
		{"anh", false, true}, {"an", false, false}, {"an", true, true}, {"2b", false, true}, {"tran", false, true},
		{"yen", true, false}, {"anh,", false, false}, {"", true, true},
	} {
		if got := hasWord(fold, c.w, c.prefix); got != c.want {
			t.Errorf("hasWord(%q, %v) = %v", c.w, c.prefix, got)
		}
	}
}
