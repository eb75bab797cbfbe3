package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/sirupsen/logrus"

	"motcua/api"
	"motcua/app"
)

// Config tunes a Client. Zero values take the defaults.
type Config struct {
	URL string // hub base URL; default Settings.HubURL
	Key string // bearer key; default Settings.HubKey

	Workers     int           // outbox items sent at once (distinct dossiers), default 4
	PollWait    time.Duration // inbox long-poll, default 25 s (the contract allows 30)
	CallTimeout time.Duration // one JSON call, default 30 s
	BlobTimeout time.Duration // one blob upload or download, default 10 min
	MinBackoff  time.Duration // first retry delay, default 1 s
	MaxBackoff  time.Duration // longest retry delay, default 5 min
	Idle        time.Duration // how often the sender rereads the outbox without Kick, default 2 s
	// Leadership elects the one desk of a shared store that sends the
	// outbox and polls the inbox (the others enqueue, and stand by to take
	// over). nil: app.AlwaysLead, for a store only this desk opens (bbolt).
	Leadership app.Leadership
	Logger     logrus.FieldLogger
}

func (c *Config) defaults() {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.PollWait <= 0 {
		c.PollWait = 25 * time.Second
	}
	if c.PollWait > api.MaxWaitSeconds*time.Second {
		c.PollWait = api.MaxWaitSeconds * time.Second
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 30 * time.Second
	}
	if c.BlobTimeout <= 0 {
		c.BlobTimeout = 10 * time.Minute
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 5 * time.Minute
	}
	if c.Idle <= 0 {
		c.Idle = 2 * time.Second
	}
	if c.Logger == nil {
		c.Logger = logrus.StandardLogger()
	}
	if c.Leadership == nil {
		c.Leadership = app.AlwaysLead{}
	}
}

// leaseName is the office-wide role of the desk that talks to the hub.
const leaseName = "outbox"

// Status is what the UI shows about the connection to the hub.
type Status = app.SyncStatus

// Client connects one office to the hub.
type Client struct {
	svc   *app.Service
	store app.Store
	cfg   Config
	log   logrus.FieldLogger
	rc    *resty.Client
	own   string // this office's agency code

	// onChange is called (from a background goroutine) whenever Status may
	// have changed or events were applied; see OnChange.
	onChange atomic.Pointer[func()]

	kick chan struct{}

	mu       sync.Mutex
	online   bool
	lastOK   time.Time
	lastErr  string
	running  bool
	leading  bool // this desk holds the hub connection (Config.Leadership)
	cancel   context.CancelFunc
	done     chan struct{}
	inflight map[string]bool // outbox queues being sent

	dir agencyNames // the hub's directory, for the agencies' names (names.go)
}

var _ app.Sync = (*Client)(nil)

// New builds a client for the office of svc over its store. The hub URL and
// key come from cfg or, when empty, from the office settings; without them
// New fails with an app error of KindInvalid. The client is svc's outbox
// notifier: a use case that queues a call wakes the sender after its commit.
func New(svc *app.Service, store app.Store, cfg Config) (*Client, error) {
	const op = "client.New"
	cfg.defaults()
	var own string
	err := store.View(func(tx app.Tx) error {
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		if cfg.URL == "" {
			cfg.URL = st.HubURL
		}
		if cfg.Key == "" {
			cfg.Key = st.HubKey
		}
		ag, err := tx.Agency()
		if err != nil {
			return err
		}
		own = ag.Code
		return nil
	})
	if err != nil {
		return nil, app.E(op, err)
	}
	if cfg.URL == "" || cfg.Key == "" {
		return nil, app.E(op, app.KindInvalid, app.MsgHubNotConfigured)
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConns:          32,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	rc := resty.New().
		SetTransport(tr).
		SetBaseURL(strings.TrimRight(cfg.URL, "/")).
		SetAuthToken(cfg.Key).
		SetHeader("User-Agent", "motcua-desktop/1").
		SetRetryCount(0)
	rc.SetLogger(quietLogger{})
	c := &Client{svc: svc, store: store, cfg: cfg, log: cfg.Logger.WithField("component", "lienthong"),
		rc: rc, own: own, kick: make(chan struct{}, 1), inflight: map[string]bool{}}
	svc.SetOutboxNotifier(c)
	return c, nil
}

// OnChange registers fn, called from a background goroutine whenever
// Status may have changed or events were applied (the UI wraps its work in
// fyne.Do).
func (c *Client) OnChange(fn func()) { c.onChange.Store(&fn) }

// OutboxQueued wakes the sender (app.OutboxNotifier): this desk's when it
// leads, the leading desk's otherwise.
func (c *Client) OutboxQueued() {
	c.mu.Lock()
	standby := c.running && !c.leading
	c.mu.Unlock()
	if standby {
		c.cfg.Leadership.Wake(leaseName)
		return
	}
	c.Kick()
}

// quietLogger keeps resty's own messages (which may quote requests) out of
// the log.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

// Start runs the outbox sender, the inbox poller and the daily sealing
// until ctx ends or Stop — while this desk leads the office (see
// Config.Leadership); otherwise it stands by and takes over when the
// leading desk is gone. Use cases at a standing-by desk still queue their
// calls and wake the leader (Leadership.Wake); its sender also rereads the
// shared outbox every Idle.
func (c *Client) Start(ctx context.Context) {
	c.mu.Lock()
	if c.running {
		c.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	c.running, c.cancel, c.done = true, cancel, make(chan struct{})
	if _, alone := c.cfg.Leadership.(app.AlwaysLead); alone {
		c.leading = true // never standing by, not even until lead starts
	}
	done := c.done
	c.mu.Unlock()
	go func() {
		c.cfg.Leadership.Lead(ctx, leaseName, c.lead)
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
		// The last notice before Stop returns: nothing of this client runs
		// after it (a screen torn down after Stop is not called into).
		c.changed()
		close(done)
	}()
	c.log.WithField("hub", c.cfg.URL).Info("liên thông: started")
	c.changed()
}

// lead is the work of the leading desk, for as long as its lease (ctx)
// lasts. When the lease ends it waits for the calls in flight to be
// cancelled: an item whose call succeeded is deleted and its answer
// recorded in one transaction (finish), any other stays in the outbox and
// the next leader sends it again under the same Idempotency-Key, which the
// hub answers with its first answer.
func (c *Client) lead(ctx context.Context, wake <-chan struct{}) {
	c.setLeading(true)
	c.log.Info("liên thông: this desk sends and receives for the office")
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { // another desk queued calls
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-wake:
				c.Kick()
			}
		}
	}()
	go func() { defer wg.Done(); c.sendLoop(ctx) }()
	go func() { defer wg.Done(); c.pollLoop(ctx) }()
	go func() { defer wg.Done(); c.sealLoop(ctx) }() // daily digests: client/digests.go
	wg.Wait()
	c.setLeading(false)
	c.log.Info("liên thông: this desk no longer leads")
}

func (c *Client) setLeading(on bool) {
	c.mu.Lock()
	c.leading = on
	if !on {
		c.online = false // a standing-by desk does not know the hub's state
	}
	c.mu.Unlock()
	c.changed()
}

// Stop ends the background work and waits for it (calls in flight are
// cancelled; their outbox items stay and are sent again later).
func (c *Client) Stop() {
	c.mu.Lock()
	cancel, done := c.cancel, c.done
	c.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// Kick wakes the sender (the service does, through OutboxQueued, after a
// use case queued something).
func (c *Client) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Status returns a snapshot for the UI.
func (c *Client) Status() Status {
	c.mu.Lock()
	s := Status{Configured: true, Running: c.running, Standby: c.running && !c.leading, Online: c.online, LastOK: c.lastOK, LastError: c.lastErr}
	c.mu.Unlock()
	_ = c.store.View(func(tx app.Tx) error {
		var err error
		s.Pending, s.Parked, err = tx.OutboxCount()
		return err
	})
	return s
}

func (c *Client) changed() {
	if f := c.onChange.Load(); f != nil && *f != nil {
		(*f)()
	}
}

// reached records that the hub answered (whatever it answered).
func (c *Client) reached() {
	c.mu.Lock()
	flip := !c.online || c.lastErr != ""
	c.online, c.lastOK, c.lastErr = true, time.Now(), ""
	c.mu.Unlock()
	if flip {
		c.changed()
	}
}

// failed records a failure for the status bar.
func (c *Client) failed(err error) {
	msg := err.Error()
	var he *HubError
	offline := errors.As(err, &he) && he.Status == 0
	c.mu.Lock()
	flip := c.lastErr != msg || (offline && c.online)
	c.lastErr = msg
	if offline {
		c.online = false
	}
	c.mu.Unlock()
	if flip {
		c.changed()
	}
}

// HubError is a failed call: a transport error (Status 0) or the hub's
// problem.
type HubError struct {
	Status     int
	Problem    *api.Problem
	RetryAfter time.Duration
	Err        error
}

func (e *HubError) Error() string {
	switch {
	case e.Status == 0:
		return "không kết nối được trục liên thông: " + e.Err.Error()
	case e.Problem != nil:
		return e.Problem.Error()
	}
	return fmt.Sprintf("trục liên thông trả lỗi %d", e.Status)
}

func (e *HubError) Unwrap() error { return e.Err }

// Code is the problem code ("" when there is none).
func (e *HubError) Code() api.Code {
	if e.Problem == nil {
		return ""
	}
	return e.Problem.Code
}

// Transient reports whether the same call may succeed later: transport
// errors, 408, 429, 5xx, a request still in progress, and 401 (a key being
// fixed by the administrator should not park every item).
func (e *HubError) Transient() bool {
	switch e.Status {
	case 0, http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusUnauthorized:
		return true
	case http.StatusConflict:
		return e.Code() == api.CodeRequestInProgress
	}
	return false
}

// Detail is the sentence shown to a person for a parked item.
func (e *HubError) Detail() string {
	if e.Problem == nil {
		return e.Error()
	}
	var b strings.Builder
	b.WriteString(e.Problem.Title)
	if e.Problem.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Problem.Detail)
	}
	for _, f := range e.Problem.Errors {
		fmt.Fprintf(&b, "; %s: %s", f.Pointer, f.Detail)
	}
	fmt.Fprintf(&b, " (%s)", e.Problem.Code)
	return b.String()
}

// call sends one JSON request and decodes a 2xx body into out.
func (c *Client) call(ctx context.Context, method, path string, hdr map[string]string, body, out any) (*resty.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
	defer cancel()
	r := c.rc.R().SetContext(ctx).SetHeader("Accept", api.MediaJSON)
	for k, v := range hdr {
		r.SetHeader(k, v)
	}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r.SetHeader("Content-Type", api.MediaJSON).SetBody(b)
	}
	resp, err := r.Execute(method, path)
	return resp, c.check(resp, err, out)
}

// check turns a response into nil or a *HubError, decoding a 2xx body.
func (c *Client) check(resp *resty.Response, err error, out any) error {
	if err != nil {
		return &HubError{Err: err}
	}
	c.reached()
	st := resp.StatusCode()
	if st >= 200 && st < 300 {
		if out != nil && len(resp.Body()) > 0 {
			if err := json.Unmarshal(resp.Body(), out); err != nil {
				return &HubError{Status: st, Err: fmt.Errorf("decode %s: %w", resp.Request.URL, err)}
			}
		}
		return nil
	}
	he := &HubError{Status: st, RetryAfter: retryAfter(resp.Header().Get(api.HeaderRetryAfter))}
	var p api.Problem
	if b := resp.Body(); len(b) > 0 && json.Unmarshal(b, &p) == nil && p.Code != "" {
		he.Problem = &p
	} else {
		he.Problem = &api.Problem{Status: st, Title: http.StatusText(st)}
	}
	he.Err = he.Problem
	return he
}

func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// backoff is the delay before attempt n (1, 2, …): exponential with jitter,
// at least Retry-After.
func (c *Client) backoff(n int, after time.Duration) time.Duration {
	d := c.cfg.MinBackoff
	for i := 1; i < n && d < c.cfg.MaxBackoff; i++ {
		d *= 2
	}
	if d > c.cfg.MaxBackoff {
		d = c.cfg.MaxBackoff
	}
	d = d/2 + rand.N(d/2+1) // jitter: [d/2, d]
	if after > d {
		d = after
	}
	return d
}

// sleep waits d or until ctx ends; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Directory fetches the hub's agency directory (for the agency picker).
func (c *Client) Directory(ctx context.Context) ([]app.DirectoryEntry, error) {
	var out []api.Agency
	if _, err := c.call(ctx, http.MethodGet, "/v1/agencies", nil, nil, &out); err != nil {
		c.failed(err)
		return nil, err
	}
	dir := make([]app.DirectoryEntry, len(out))
	for i, a := range out {
		dir[i] = app.DirectoryEntry{Code: a.Code, Name: a.Name, ParentCode: a.ParentCode, Level: string(a.Level), Active: a.Active}
	}
	return dir, nil
}
