package hub

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"motcua/api"
)

func (e *env) putDigest(agency string, d api.DailyDigest) result {
	e.t.Helper()
	b, _ := json.Marshal(d)
	return e.do(agency, http.MethodPut, "/v1/digests/"+d.Date, bytes.NewReader(b), hdr{"Content-Type": api.MediaJSON})
}

func sampleDigest(date, previous string) api.DailyDigest {
	d := api.DailyDigest{Date: date, Chains: 3, HeadsSHA: "5b6fb58e61fa475939767d68a446f97f1bff02c0e5935a3ea8bb51e6515783d8",
		Previous: previous, SealedAt: time.Date(2026, 3, 10, 0, 5, 0, 0, Vietnam)}
	d.Digest = digestOf(&d)
	return d
}

// TestDigestsKeptPerAgency: the hub keeps the first digest of each day per
// agency, answers a replay with 200, refuses another digest of the same day
// (409 digest-conflict) and one that is not the hash of its parts (400), and
// shows an agency only its own.
func TestDigestsKeptPerAgency(t *testing.T) {
	e := newEnv(t)
	d1 := sampleDigest("2026-03-09", "")
	d2 := sampleDigest("2026-03-10", d1.Digest)
	var kept api.DailyDigest
	e.putDigest(commune, d1).want(t, http.StatusCreated, &kept)
	if kept.Digest != d1.Digest || kept.ReceivedAt.IsZero() {
		t.Errorf("kept %+v", kept)
	}
	e.putDigest(commune, d1).want(t, http.StatusOK, nil)
	e.putDigest(commune, d2).want(t, http.StatusCreated, nil)
	forged := d1
	forged.Chains = 2
	forged.Digest = digestOf(&forged)
	e.putDigest(commune, forged).wantProblem(t, http.StatusConflict, api.CodeDigestConflict)
	bad := d2
	bad.Chains = 7
	e.putDigest(commune, bad).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	wrongDate := d2
	b, _ := json.Marshal(wrongDate)
	e.do(commune, http.MethodPut, "/v1/digests/2026-03-11", bytes.NewReader(b), hdr{"Content-Type": api.MediaJSON}).
		wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	e.putDigest("", d1).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)

	var got api.DailyDigest
	e.do(commune, http.MethodGet, "/v1/digests/2026-03-09", nil, nil).want(t, http.StatusOK, &got)
	if got.Digest != d1.Digest {
		t.Errorf("GET gave %+v", got)
	}
	e.do(stranger, http.MethodGet, "/v1/digests/2026-03-09", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	var page api.DigestPage
	e.do(commune, http.MethodGet, "/v1/digests?from=2026-03-01&limit=1", nil, nil).want(t, http.StatusOK, &page)
	if len(page.Items) != 1 || page.Items[0].Date != "2026-03-09" || page.Next != "2026-03-10" {
		t.Errorf("page %+v", page)
	}
	var page2, none api.DigestPage
	e.do(commune, http.MethodGet, "/v1/digests?from="+page.Next, nil, nil).want(t, http.StatusOK, &page2)
	if len(page2.Items) != 1 || page2.Items[0].Previous != d1.Digest || page2.Next != "" {
		t.Errorf("page 2 %+v", page2)
	}
	e.do(stranger, http.MethodGet, "/v1/digests", nil, nil).want(t, http.StatusOK, &none)
	if len(none.Items) != 0 {
		t.Errorf("a stranger sees %+v", none)
	}
	// The hub administrator reads any agency's.
	if p, err := e.h.Digests(commune, "", "", 0); err != nil || len(p.Items) != 2 {
		t.Errorf("administrator view: %+v %v", p, err)
	}
}
