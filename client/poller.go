package client

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/api"
	"motcua/app"
)

// The inbox poller: long-polls the feed, applies each event (and advances
// the cursor) in one store transaction through Service.ApplyEvent, fetches a
// snapshot when an event skips versions, and resyncs from the transfer lists
// when the hub no longer knows the cursor.

func (c *Client) pollLoop(ctx context.Context) {
	fails := 0
	wait := 0 // the first page at once
	for ctx.Err() == nil {
		more, err := c.pollOnce(ctx, wait)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			fails++
			c.failed(err)
			var he *HubError
			after := c.backoff(fails, 0)
			if errors.As(err, &he) {
				after = c.backoff(fails, he.RetryAfter)
			}
			after = min(after, max(30*time.Second, c.cfg.MinBackoff)) // a feed is cheap to retry

			c.log.WithError(err).WithField("retry_in", after.Round(100*time.Millisecond)).Warn("liên thông: inbox")
			if !sleep(ctx, after) {
				return
			}
			wait = 0
			continue
		}
		fails = 0
		wait = int(c.cfg.PollWait.Seconds())
		if more {
			wait = 0
		}
	}
}

// pollOnce reads one page of the feed and applies it; more reports has_more.
func (c *Client) pollOnce(ctx context.Context, wait int) (more bool, err error) {
	var cursor string
	if err := c.store.View(func(tx app.Tx) (err error) {
		cursor, err = tx.InboxCursor()
		return err
	}); err != nil {
		return false, err
	}
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	q.Set("limit", "100")
	q.Set("wait", strconv.Itoa(wait))
	cctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout+c.cfg.PollWait)
	defer cancel()
	r := c.rc.R().SetContext(cctx).SetHeader("Accept", api.MediaJSON)
	resp, err := r.Get("/v1/inbox?" + q.Encode())
	if err = c.check(resp, err, nil); err != nil { // the page is decoded below, event by event
		var he *HubError
		if errors.As(err, &he) && he.Code() == api.CodeCursorExpired {
			c.log.Warn("liên thông: inbox cursor expired, resync")
			return true, c.resync(ctx)
		}
		return false, err
	}
	page, skipped, err := decodeInboxPage(resp.Body())
	if err != nil {
		return false, &HubError{Status: resp.StatusCode(), Err: err}
	}
	for _, s := range skipped {
		c.log.WithError(s).Warn("liên thông: unreadable event skipped")
	}
	for i, e := range page.Events {
		next := ""
		if i == len(page.Events)-1 {
			next = page.NextCursor
		}
		apply := func() error { return c.applyEvent(ctx, fromWireEvent(e), next) }
		switch e.Type {
		case api.EventSubmissionReceived:
			apply = func() error { return c.applySubmission(ctx, e, next) }
		case api.EventSubmissionDecided: // the portal's news, not an office's
			apply = func() error { return c.skipEvent(e, next, nil) }
		}
		if err := apply(); err != nil {
			return false, err
		}
	}
	if len(page.Events) == 0 && page.NextCursor != "" && page.NextCursor != cursor {
		if err := c.store.Update(func(tx app.Tx) error { return tx.SetInboxCursor(page.NextCursor) }); err != nil {
			return false, err
		}
	}
	if len(page.Events) > 0 {
		c.changed()
		c.Kick() // applied events may have queued calls (none today, but cheap)
	}
	return page.HasMore, nil
}

// applyEvent downloads the blobs an event brings, then applies it and, when
// next is set, moves the cursor — in one transaction.
func (c *Client) applyEvent(ctx context.Context, ev app.TransferEvent, next string) error {
	log := c.log.WithFields(logrus.Fields{"event": ev.ID, "type": ev.Type, "transfer": ev.TransferID, "version": ev.Version})
	if err := c.fetchBlobs(ctx, &ev); err != nil {
		return err
	}
	c.nameAgencies(ctx, &ev)
	apply := func() error {
		return c.store.Update(func(tx app.Tx) error {
			if err := c.svc.ApplyEvent(tx, ev); err != nil {
				return err
			}
			if next != "" {
				return tx.SetInboxCursor(next)
			}
			return nil
		})
	}
	err := apply()
	if app.IsVersionGap(err) {
		log.Info("liên thông: version gap, fetching the snapshot")
		var snap api.Transfer
		if _, err := c.call(ctx, http.MethodGet, "/v1/transfers/"+url.PathEscape(ev.TransferID), nil, nil, &snap); err != nil {
			return err
		}
		ev.Snapshot = fromWireTransfer(&snap)
		if ev.Transfer == nil && ev.Type == app.EventReceived {
			ev.Transfer = ev.Snapshot
		}
		if err := c.fetchBlobs(ctx, &ev); err != nil {
			return err
		}
		err = apply()
	}
	if err != nil {
		log.WithError(err).Error("liên thông: apply event")
		return err
	}
	log.Debug("liên thông: event applied")
	return nil
}

// fetchBlobs downloads the attachments and result files an event refers
// to, verifying each, and fills in their sizes.
func (c *Client) fetchBlobs(ctx context.Context, ev *app.TransferEvent) error {
	for _, t := range []*app.TransferSnapshot{ev.Transfer, ev.Snapshot} {
		if t == nil {
			continue
		}
		for i := range t.Dossier.Documents {
			d := &t.Dossier.Documents[i]
			if d.SHA256 != "" {
				if err := c.fetchBlob(ctx, d.SHA256, &d.Size); err != nil {
					return err
				}
			}
		}
		if t.LastStatus != nil {
			if err := c.fetchResults(ctx, t.LastStatus.Results); err != nil {
				return err
			}
		}
	}
	if ev.Status != nil {
		return c.fetchResults(ctx, ev.Status.Results)
	}
	return nil
}

func (c *Client) fetchResults(ctx context.Context, rs []app.ResultFile) error {
	for i := range rs {
		if rs[i].SHA256 != "" {
			if err := c.fetchBlob(ctx, rs[i].SHA256, &rs[i].Size); err != nil {
				return err
			}
		}
	}
	return nil
}

// fetchBlob downloads one blob unless it is already here. A blob the hub
// does not have (404) is logged and skipped: the event still applies.
func (c *Client) fetchBlob(ctx context.Context, sha string, size *int64) error {
	if !hexSHA.MatchString(sha) {
		return nil
	}
	var have []byte
	if err := c.store.View(func(tx app.Tx) error {
		ok, err := tx.HasScan(sha)
		if ok {
			have, err = tx.Scan(sha)
		}
		return err
	}); err != nil {
		return err
	}
	if have != nil {
		*size = int64(len(have))
		return nil
	}
	bctx, cancel := context.WithTimeout(ctx, c.cfg.BlobTimeout)
	defer cancel()
	resp, err := c.rc.R().SetContext(bctx).SetDoNotParseResponse(true).Get("/v1/blobs/sha256/" + sha)
	if err != nil {
		return &HubError{Err: err}
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode() == http.StatusNotFound {
		c.reached()
		c.log.WithField("sha256", sha).Warn("liên thông: attachment not on the hub")
		return nil
	}
	if resp.StatusCode() != http.StatusOK {
		c.reached()
		return &HubError{Status: resp.StatusCode(), Problem: &api.Problem{Status: resp.StatusCode(), Title: http.StatusText(resp.StatusCode())},
			RetryAfter: retryAfter(resp.Header().Get(api.HeaderRetryAfter))}
	}
	if rd := resp.Header().Get(api.HeaderReprDigest); rd != "" {
		if got, ok := reprSHA256(rd); ok && got != sha {
			return &HubError{Status: http.StatusOK, Err: fmt.Errorf("Repr-Digest %s does not name blob %s", got, sha)}
		}
	}
	data, err := readVerified(body, sha)
	if err != nil {
		return &HubError{Err: err} // a cut or corrupted download: try again later
	}
	if err := c.store.Update(func(tx app.Tx) error { return tx.PutScan(sha, data) }); err != nil {
		return err
	}
	c.reached()
	*size = int64(len(data))
	return nil
}

// reprSHA256 reads the sha-256 member of a Repr-Digest header as hex.
func reprSHA256(h string) (string, bool) {
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(k, "sha-256") {
			continue
		}
		v = strings.Trim(v, ":")
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) != sha256.Size {
			return "", false
		}
		return hex.EncodeToString(b), true
	}
	return "", false
}

// resync walks both transfer lists and brings every transfer up to its
// snapshot, then restarts the feed from its oldest kept event (duplicates
// are ignored by event id and version).
func (c *Client) resync(ctx context.Context) error {
	for _, role := range []string{"recipient", "sender"} {
		cursor := ""
		for {
			q := url.Values{"role": {role}, "limit": {"100"}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			var page api.TransferPage
			if _, err := c.call(ctx, http.MethodGet, "/v1/transfers?"+q.Encode(), nil, nil, &page); err != nil {
				return err
			}
			for i := range page.Transfers {
				ev := app.TransferEvent{Type: app.EventSnapshot, Snapshot: fromWireTransfer(&page.Transfers[i])}
				if err := c.fetchBlobs(ctx, &ev); err != nil {
					return err
				}
				c.nameAgencies(ctx, &ev)
				if err := c.store.Update(func(tx app.Tx) error { return c.svc.ApplyEvent(tx, ev) }); err != nil {
					return err
				}
			}
			if !page.HasMore || page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
	}
	return c.store.Update(func(tx app.Tx) error { return tx.SetInboxCursor("") })
}
