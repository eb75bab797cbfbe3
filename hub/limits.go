package hub

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"motcua/api"
)

// bearer takes the key out of an Authorization header; the scheme name is
// case-insensitive (RFC 9110 §11.1).
func bearer(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// bodyDeadline gives a JSON body BodyTimeout to arrive in full: a client that
// trickles its body is cut off. The returned func lifts the deadline once the
// body is in (net/http's background read would otherwise cancel the request).
func (h *Hub) bodyDeadline(c *call) (done func()) {
	rc := http.NewResponseController(c.w)
	if err := rc.SetReadDeadline(time.Now().Add(h.opts.BodyTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		h.log.WithError(err).Debug("read deadline")
	}
	return func() { rc.SetReadDeadline(time.Time{}) }
}

// progressReader reads a blob body: every read must make progress within
// BodyTimeout (a 50 MiB scan over a slow commune line keeps going; a stalled
// upload is cut), and the whole upload ends within BlobTimeout.
func (h *Hub) progressReader(c *call) io.Reader {
	return &deadlineReader{r: c.r.Body, rc: http.NewResponseController(c.w), idle: h.opts.BodyTimeout, end: time.Now().Add(h.opts.BlobTimeout)}
}

type deadlineReader struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration
	end  time.Time
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	dl := time.Now().Add(d.idle)
	if dl.After(d.end) {
		dl = d.end
	}
	d.rc.SetReadDeadline(dl)
	n, err := d.r.Read(p)
	if err == io.EOF {
		d.rc.SetReadDeadline(time.Time{}) // all in; on errors the deadline stays so nothing waits on the socket
	}
	return n, err
}

// slowOrBroken turns a body read error into a problem (the client is usually
// gone already; the answer is for the log and for a client that still listens).
func slowOrBroken(err error) *api.Problem {
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return problem(api.CodeValidationFailed, "the request body did not arrive in time; the upload was cut")
	}
	return problem(api.CodeValidationFailed, "reading the body failed: "+err.Error())
}

// ServerOptions bound what one hub process accepts from the network.
type ServerOptions struct {
	MaxConns          int           // open connections at once; 0: 512 (more wait in the kernel's backlog)
	ReadHeaderTimeout time.Duration // 0: 10 s
	IdleTimeout       time.Duration // keep-alive; 0: 120 s
}

// Server is the HTTP server of the hub with its limits: header read timeout,
// per-request body deadlines (Options.BodyTimeout, set by the pipeline), idle
// timeout and waiting long-polls released on shutdown. Serve it on
// LimitListener(ln, o.MaxConns) and stop it with Shutdown.
func (h *Hub) Server(o ServerOptions) *http.Server {
	if o.ReadHeaderTimeout == 0 {
		o.ReadHeaderTimeout = 10 * time.Second
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = 120 * time.Second
	}
	srv := &http.Server{
		Handler:           h.Handler(),
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		IdleTimeout:       o.IdleTimeout,
		// A response must be written within the longest legitimate answer:
		// a long-poll (30 s) or a 50 MiB download on a slow line.
		WriteTimeout:   h.opts.BlobTimeout + time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
	srv.RegisterOnShutdown(h.StopLongPolls) // waiting inboxes answer now instead of holding the shutdown
	return srv
}

// Shutdown stops srv gracefully: in-flight requests get grace to finish; then
// every connection still open (a stalled socket, a trickling upload) is closed,
// so shutdown never takes much longer than grace.
func Shutdown(srv *http.Server, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return srv.Close()
	}
	return err
}

// LimitListener accepts at most n connections at once; further clients wait
// in the kernel's backlog until one closes. n ≤ 0 means 512.
func LimitListener(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		n = 512
	}
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
