// Package portaltest is a stand-in for the province's online public-service
// portal (Cổng dịch vụ công), for tests and demos only: it speaks the v1.1
// part of the central API with a portal key — uploads scans, submits online
// dossiers, waits for the office's decision in its inbox — and reads the
// public look-up like a citizen's phone would. The real portal is outside
// this project.
package portaltest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"motcua/api"
)

// Portal is one portal installation talking to a hub.
type Portal struct {
	BaseURL string // e.g. http://127.0.0.1:8088
	Key     string // the portal key printed by `motcua-hub portal add`
	HTTP    *http.Client
	cursor  string
}

// New returns a portal client for the hub at baseURL.
func New(baseURL, key string) *Portal {
	return &Portal{BaseURL: strings.TrimRight(baseURL, "/"), Key: key, HTTP: &http.Client{Timeout: 45 * time.Second}}
}

func (p *Portal) do(ctx context.Context, method, path string, body io.Reader, hdr map[string]string, out any) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, p.BaseURL+path, body)
	if err != nil {
		return nil, err
	}
	if p.Key != "" {
		req.Header.Set("Authorization", "Bearer "+p.Key)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := p.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp, err
	}
	if resp.StatusCode >= 400 {
		var prob api.Problem
		if json.Unmarshal(data, &prob) == nil && prob.Code != "" {
			return resp, &prob
		}
		return resp, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return resp, nil
}

// Upload puts a scan on the hub and returns its SHA-256 (hex).
func (p *Portal) Upload(ctx context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	hx := hex.EncodeToString(sum[:])
	_, err := p.do(ctx, "PUT", "/v1/blobs/sha256/"+hx, bytes.NewReader(data), map[string]string{"Content-Type": api.MediaBinary}, nil)
	return hx, err
}

// Scan uploads a file and describes it as one document of a dossier.
func (p *Portal) Scan(ctx context.Context, name, path string) (api.Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return api.Document{}, err
	}
	hx, err := p.Upload(ctx, data)
	if err != nil {
		return api.Document{}, err
	}
	return api.Document{Name: name, Originals: 1, SHA256: hx, Size: int64(len(data)), MediaType: mediaType(path)}, nil
}

func mediaType(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pdf":
		return "application/pdf"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	}
	return api.MediaBinary
}

// NewIdempotencyKey makes a fresh key for one submission.
func NewIdempotencyKey() string { return "portal-" + strings.ToLower(rand.Text()) }

// Submit sends an online dossier with the given Idempotency-Key (reuse it to
// retry after a lost answer: the hub replays the first response).
func (p *Portal) Submit(ctx context.Context, key string, req api.SubmissionRequest) (api.Submission, error) {
	var s api.Submission
	body, err := json.Marshal(req)
	if err != nil {
		return s, err
	}
	_, err = p.do(ctx, "POST", "/v1/submissions", bytes.NewReader(body),
		map[string]string{"Content-Type": api.MediaJSON, api.HeaderIdempotencyKey: key}, &s)
	return s, err
}

// SubmitRetrying is Submit that keeps retrying transport errors and 5xx with
// the same key until ctx ends: what a portal does while the hub restarts.
func (p *Portal) SubmitRetrying(ctx context.Context, key string, req api.SubmissionRequest) (api.Submission, error) {
	for {
		s, err := p.Submit(ctx, key, req)
		var prob *api.Problem
		if err == nil || (errors.As(err, &prob) && prob.Status < 500) {
			return s, err
		}
		select {
		case <-ctx.Done():
			return s, fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Get reads a submission's snapshot.
func (p *Portal) Get(ctx context.Context, id string) (api.Submission, error) {
	var s api.Submission
	_, err := p.do(ctx, "GET", "/v1/submissions/"+url.PathEscape(id), nil, nil, &s)
	return s, err
}

// Events reads the next page of the portal's inbox (long-polling up to wait
// seconds) and moves the portal's cursor.
func (p *Portal) Events(ctx context.Context, wait int) ([]api.Event, error) {
	q := url.Values{"wait": {fmt.Sprint(wait)}}
	if p.cursor != "" {
		q.Set("cursor", p.cursor)
	}
	var page api.InboxPage
	if _, err := p.do(ctx, "GET", "/v1/inbox?"+q.Encode(), nil, nil, &page); err != nil {
		return nil, err
	}
	p.cursor = page.NextCursor
	return page.Events, nil
}

// WaitDecision follows the inbox until the submission is decided.
func (p *Portal) WaitDecision(ctx context.Context, id string) (api.Submission, error) {
	for {
		evs, err := p.Events(ctx, 5)
		if err != nil {
			var prob *api.Problem
			if ctx.Err() != nil || (errors.As(err, &prob) && prob.Status < 500 && prob.Code != api.CodeCursorExpired) {
				return api.Submission{}, err
			}
			p.cursor = ""
			time.Sleep(100 * time.Millisecond)
			continue
		}
		for _, ev := range evs {
			if ev.Type == api.EventSubmissionDecided && ev.SubmissionID == id && ev.Data.Submission != nil {
				return *ev.Data.Submission, nil
			}
		}
		if ctx.Err() != nil {
			return api.Submission{}, ctx.Err()
		}
	}
}

// Lookup is the citizen's JSON look-up (no key).
func (p *Portal) Lookup(ctx context.Context, code string) (api.PublicLookup, error) {
	var l api.PublicLookup
	anon := *p
	anon.Key = ""
	_, err := anon.do(ctx, "GET", "/v1/public/lookup?code="+url.QueryEscape(code), nil, nil, &l)
	return l, err
}

// LookupPage fetches /tra-cuu?ma=code as a phone would; it returns the status
// and the HTML.
func (p *Portal) LookupPage(ctx context.Context, code string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", p.BaseURL+"/tra-cuu?ma="+url.QueryEscape(code), nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := p.HTTP.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// Download fetches a blob the portal may read (its uploads, the receipts of
// its accepted submissions) and verifies its SHA-256.
func (p *Portal) Download(ctx context.Context, hx string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", p.BaseURL+"/v1/blobs/sha256/"+hx, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+p.Key)
	resp, err := p.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("blob %s: %d", hx, resp.StatusCode)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hx {
		return nil, fmt.Errorf("blob %s does not verify", hx)
	}
	return data, nil
}
