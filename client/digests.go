package client

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"motcua/api"
	"motcua/app"
)

// sealEvery is how often a running client seals the days that are over (and
// so queues their digests for the hub) while the app stays open.
const sealEvery = 15 * time.Minute

func (c *Client) sealLoop(ctx context.Context) {
	t := time.NewTicker(sealEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := c.svc.SealDigests(); err != nil {
				c.log.WithError(err).Warn("liên thông: seal daily digests")
			} else if n > 0 {
				c.Kick()
			}
		}
	}
}

// sendDigest keeps one day's tamper-evidence digest on the hub
// (PUT /v1/digests/{date}). The hub answers 200 for a digest it already keeps
// and 409 digest-conflict for a different one of the same day: that one is
// parked for a person to see, since the hub's copy disagrees with this PC.
func (c *Client) sendDigest(ctx context.Context, it *app.OutboxItem) error {
	var d app.DailyDigest
	if err := decodeIntent(it, &d); err != nil {
		return err
	}
	body := api.DailyDigest{Date: d.Date, Chains: d.Chains, HeadsSHA: d.HeadsSHA, Previous: d.Previous, Digest: d.Digest, SealedAt: d.SealedAt}
	if _, err := c.call(ctx, http.MethodPut, "/v1/digests/"+url.PathEscape(d.Date), nil, body, nil); err != nil {
		return err
	}
	return c.finish(it, func(app.Tx) error { return nil })
}

// HubDigests returns the hub's copy of this office's digests of [from, to]
// ("" = unbounded): app.DigestSource, for the full integrity check.
func (c *Client) HubDigests(from, to string) ([]app.DailyDigest, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*c.cfg.CallTimeout)
	defer cancel()
	var out []app.DailyDigest
	for {
		q := url.Values{}
		if from != "" {
			q.Set("from", from)
		}
		if to != "" {
			q.Set("to", to)
		}
		q.Set("limit", "2000")
		var page api.DigestPage
		if _, err := c.call(ctx, http.MethodGet, "/v1/digests?"+q.Encode(), nil, nil, &page); err != nil {
			return nil, err
		}
		for _, d := range page.Items {
			out = append(out, app.DailyDigest{Date: d.Date, Chains: d.Chains, HeadsSHA: d.HeadsSHA, Previous: d.Previous,
				Digest: d.Digest, SealedAt: d.SealedAt})
		}
		if page.Next == "" {
			return out, nil
		}
		from = page.Next
	}
}
