package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/sirupsen/logrus"

	"motcua/api"
)

// bodyKind says what a route reads from the request body.
type bodyKind int

const (
	noBody       bodyKind = iota
	jsonBody              // application/json, required
	jsonOptional          // application/json, may be empty
	blobBody              // application/octet-stream, streamed by the handler
)

type route struct {
	method, path string // path in OpenAPI syntax
	auth         bool
	body         bodyKind
	idempotent   bool // Idempotency-Key required
	ifMatch      bool // If-Match required
	callers      callers
	perAddress   bool // no key: rate-limited per client address instead (v1.1 public look-up)
	page         bool // an HTML page: answers its own errors, no OpenAPI validation of the query
	handle       func(h *Hub, c *call) error
}

// callers says which keys may call a route; others get 404 (v1.1).
type callers int

const (
	agencies callers = iota // agency keys only (the v1 routes)
	anyKey                  // agency and portal keys
	portals                 // portal keys only
)

// routes is the whole API; a test checks it against the OpenAPI document.
var routes = []route{
	{method: "GET", path: "/v1/health", handle: (*Hub).handleHealth},
	{method: "GET", path: "/v1/agencies", auth: true, handle: (*Hub).handleAgencies},
	{method: "HEAD", path: "/v1/blobs/sha256/{hex}", auth: true, callers: anyKey, handle: (*Hub).handleHeadBlob},
	{method: "PUT", path: "/v1/blobs/sha256/{hex}", auth: true, callers: anyKey, body: blobBody, handle: (*Hub).handlePutBlob},
	{method: "GET", path: "/v1/blobs/sha256/{hex}", auth: true, callers: anyKey, handle: (*Hub).handleGetBlob},
	{method: "POST", path: "/v1/transfers", auth: true, body: jsonBody, idempotent: true, handle: (*Hub).handleCreate},
	{method: "GET", path: "/v1/transfers", auth: true, handle: (*Hub).handleList},
	{method: "GET", path: "/v1/transfers/{id}", auth: true, handle: (*Hub).handleGet},
	{method: "POST", path: "/v1/transfers/{id}/ack", auth: true, body: jsonBody, handle: (*Hub).handleAck},
	{method: "POST", path: "/v1/transfers/{id}/status", auth: true, body: jsonBody, idempotent: true, ifMatch: true, handle: (*Hub).handleStatus},
	{method: "POST", path: "/v1/transfers/{id}/recall", auth: true, body: jsonOptional, handle: (*Hub).handleRecall},
	{method: "GET", path: "/v1/inbox", auth: true, callers: anyKey, handle: (*Hub).handleInbox},
	// Daily tamper-evidence digests (hub/digests.go).
	{method: "PUT", path: "/v1/digests/{date}", auth: true, body: jsonBody, handle: (*Hub).handlePutDigest},
	{method: "GET", path: "/v1/digests/{date}", auth: true, handle: (*Hub).handleGetDigest},
	{method: "GET", path: "/v1/digests", auth: true, handle: (*Hub).handleListDigests},
	{method: "GET", path: "/v1/releases/latest", auth: true, handle: (*Hub).handleLatestRelease},
	{method: "GET", path: "/v1/releases/{version}/file", auth: true, handle: (*Hub).handleReleaseFile},
}

// call is one request on its way through the pipeline.
type call struct {
	w       http.ResponseWriter
	r       *http.Request
	agency  string // the caller's agency code, or its portal code when portal is set
	portal  bool
	body    []byte
	idem    *idemKey
	ifMatch int64
	log     *logEntry
}

type logEntry struct {
	agency, bodySHA string
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Handler is the HTTP API. Every request is logged with the caller's agency,
// method, path, SHA-256 of the body, status and duration.
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.Handle(rt.method+" "+rt.path, h.pipeline(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problem(api.CodeNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path))
	})
	return h.logged(mux)
}

type logKey struct{}

func (h *Hub) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		le := &logEntry{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), logKey{}, le)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		entry := h.log.WithFields(logrus.Fields{
			"agency":      le.agency,
			"method":      r.Method,
			"path":        r.URL.Path,
			"body_sha256": le.bodySHA,
			"status":      sw.status,
			"duration_ms": float64(time.Since(start).Microseconds()) / 1000,
		})
		if sw.status >= 500 {
			entry.Error("request")
		} else {
			entry.Info("request")
		}
	})
}

func (h *Hub) pipeline(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		le, _ := r.Context().Value(logKey{}).(*logEntry)
		if le == nil {
			le = &logEntry{}
		}
		c := &call{w: w, r: r, log: le}
		if err := h.prepare(rt, c); err != nil {
			if c.body == nil && r.ContentLength != 0 {
				// Refused before its body was read (no key, rate limit,
				// media type, size): answer at once and close, rather than
				// let net/http drain a body that may trickle for minutes.
				w.Header().Set("Connection", "close")
			}
			h.fail(c, err)
			return
		}
		if err := rt.handle(h, c); err != nil {
			h.fail(c, err)
		}
	})
}

// prepare runs the checks every route shares, in the contract's order:
// authentication, rate limit, media type, size, Idempotency-Key, If-Match,
// then the OpenAPI validation.
func (h *Hub) prepare(rt route, c *call) error {
	r := c.r
	if rt.auth {
		tok, ok := bearer(r.Header.Get("Authorization"))
		agency, kind, keyID, valid := "", "", "", false
		if ok {
			agency, kind, keyID, valid = h.authenticateKind(tok)
		}
		if !valid {
			c.w.Header().Set("WWW-Authenticate", `Bearer realm="motcua-hub"`)
			return problem(api.CodeUnauthorized, "missing, unknown or revoked key")
		}
		c.agency = agency
		c.portal = kind == kindPortal
		c.log.agency = agency
		if (c.portal && rt.callers == agencies) || (!c.portal && rt.callers == portals) {
			return problem(api.CodeNotFound, "no such endpoint for this key")
		}
		if ok, retry := h.limiter.allow(keyID, time.Now()); !ok {
			secs := int(math.Ceil(retry.Seconds()))
			if secs < 1 {
				secs = 1
			}
			c.w.Header().Set(api.HeaderRetryAfter, strconv.Itoa(secs))
			return problem(api.CodeRateLimited, fmt.Sprintf("too many requests for this key; retry in %d s", secs))
		}
	}
	if rt.perAddress {
		if err := h.limitAddress(c); err != nil {
			return err
		}
	}
	if rt.page {
		return nil
	}
	switch rt.body {
	case jsonBody, jsonOptional:
		hasBody := r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
		if rt.body == jsonBody || hasBody || r.Header.Get("Content-Type") != "" {
			if err := checkMediaType(r, api.MediaJSON, rt.body == jsonOptional); err != nil {
				return err
			}
		}
		if r.ContentLength > api.MaxJSONBody {
			return tooLargeJSON()
		}
		lift := h.bodyDeadline(c)
		body, err := io.ReadAll(http.MaxBytesReader(c.w, r.Body, api.MaxJSONBody))
		if err == nil {
			lift() // on error the deadline stays: net/http drains the body before answering
		} else {
			c.w.Header().Set("Connection", "close")
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return tooLargeJSON()
			}
			return slowOrBroken(err)
		}
		c.body = body
		sum := sha256.Sum256(body)
		c.log.bodySHA = hex.EncodeToString(sum[:])
		if len(body) > 0 {
			if p := api.CheckJSON(body); p != nil {
				return p
			}
		}
	case blobBody:
		if err := checkMediaType(r, api.MediaBinary, false); err != nil {
			return err
		}
		if r.ContentLength > api.MaxBlobSize {
			return problem(api.CodePayloadTooLarge, fmt.Sprintf("a blob is at most %d bytes", api.MaxBlobSize))
		}
		if r.ContentLength > 0 {
			if err := h.quotaCheck(c.agency, r.PathValue("hex"), r.ContentLength); err != nil {
				return err
			}
		}
	}
	if rt.idempotent {
		key := r.Header.Get(api.HeaderIdempotencyKey)
		if key == "" {
			return problem(api.CodeIdempotencyKeyMissing, "the Idempotency-Key header is required on this request")
		}
		c.idem = newIdemKey(c.agency, key, r.Method, r.URL.Path, c.body)
	}
	if rt.ifMatch {
		im := r.Header.Get(api.HeaderIfMatch)
		if im == "" {
			return problem(api.CodePreconditionRequired, `the If-Match header with the transfer's version (e.g. "3") is required`)
		}
		v, err := api.ParseETag(im)
		if err != nil {
			return problem(api.CodeValidationFailed, "malformed If-Match", api.FieldError{Pointer: "header:If-Match", Detail: err.Error()})
		}
		c.ifMatch = v
	}
	return h.validate(rt, c)
}

func tooLargeJSON() error {
	return problem(api.CodePayloadTooLarge, fmt.Sprintf("a JSON body is at most %d bytes", api.MaxJSONBody))
}

func checkMediaType(r *http.Request, want string, emptyOK bool) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && emptyOK {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != want {
		return problem(api.CodeUnsupportedMediaType, fmt.Sprintf("Content-Type must be %s, not %q", want, ct))
	}
	return nil
}

// validate checks the request against the OpenAPI document.
func (h *Hub) validate(rt route, c *call) error {
	r := c.r.Clone(c.r.Context())
	r.Body = io.NopCloser(bytes.NewReader(c.body))
	route, params, err := h.router.FindRoute(r)
	if err != nil {
		return problem(api.CodeNotFound, "no such endpoint")
	}
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc, // the pipeline authenticated already
			ExcludeRequestBody:  rt.body == blobBody || rt.body == noBody || (rt.body == jsonOptional && len(c.body) == 0),
			SkipSettingDefaults: true,
		},
	}
	if err := openapi3filter.ValidateRequest(c.r.Context(), in); err != nil {
		return validationProblem(err)
	}
	return nil
}

func validationProblem(err error) *api.Problem {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return problem(api.CodeValidationFailed, err.Error())
	}
	fe := api.FieldError{Detail: re.Error()}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		fe.Detail = se.Reason
	}
	switch {
	case re.Parameter != nil:
		fe.Pointer = re.Parameter.In + ":" + re.Parameter.Name
		if se != nil {
			fe.Detail = se.Reason
		} else if re.Err != nil {
			fe.Detail = re.Err.Error()
		} else {
			fe.Detail = re.Reason
		}
	case se != nil:
		if p := se.JSONPointer(); len(p) > 0 {
			fe.Pointer = "/" + strings.Join(p, "/")
		}
	}
	return problem(api.CodeValidationFailed, "the request does not match the API document", fe)
}

// fail writes err as a problem; anything that is not a problem is a 500 whose
// detail stays in the log.
func (h *Hub) fail(c *call, err error) {
	var p *api.Problem
	if !errors.As(err, &p) {
		h.log.WithError(err).WithFields(logrus.Fields{"agency": c.agency, "method": c.r.Method, "path": c.r.URL.Path}).Error("internal error")
		p = problem(api.CodeInternal, "the hub failed; retry later")
	}
	writeProblem(c.w, p)
}

func writeProblem(w http.ResponseWriter, p *api.Problem) {
	body, _ := json.Marshal(p)
	w.Header().Set("Content-Type", api.MediaProblem)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.Status)
	w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	writeRaw(w, &response{Status: status, Body: body}, false)
	return nil
}

func writeRaw(w http.ResponseWriter, resp *response, replayed bool) {
	for k, v := range resp.Header {
		w.Header().Set(k, v)
	}
	if replayed {
		w.Header().Set(api.HeaderIdempotentReplayed, "true")
	}
	w.Header().Set("Content-Type", api.MediaJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

// --- handlers ---

func (h *Hub) handleHealth(c *call) error {
	return writeJSON(c.w, http.StatusOK, api.Health{Status: "ok"})
}

func (h *Hub) handleAgencies(c *call) error {
	list, err := h.Agencies()
	if err != nil {
		return err
	}
	return writeJSON(c.w, http.StatusOK, list)
}

func (h *Hub) handleHeadBlob(c *call) error {
	hexsum := c.r.PathValue("hex")
	size, ok := h.blobVisibleTo(c.agency, hexsum)
	if !ok {
		return problem(api.CodeNotFound, "no such blob")
	}
	c.w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	c.w.Header().Set(api.HeaderReprDigest, reprDigest(hexsum))
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Hub) handlePutBlob(c *call) error {
	hexsum := c.r.PathValue("hex")
	body := http.MaxBytesReader(c.w, io.NopCloser(h.progressReader(c)), api.MaxBlobSize)
	created, size, err := h.putBlob(c.agency, hexsum, body)
	c.log.bodySHA = hexsum
	if err != nil {
		return err
	}
	c.w.Header().Set(api.HeaderReprDigest, reprDigest(hexsum))
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		c.w.Header().Set("Location", "/v1/blobs/sha256/"+hexsum)
	}
	return writeJSON(c.w, status, api.Blob{SHA256: hexsum, Size: size})
}

func (h *Hub) handleGetBlob(c *call) error {
	hexsum := c.r.PathValue("hex")
	f, size, err := h.openBlob(c.agency, hexsum)
	if err != nil {
		return err
	}
	defer f.Close()
	c.w.Header().Set("Content-Type", api.MediaBinary)
	c.w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	c.w.Header().Set(api.HeaderReprDigest, reprDigest(hexsum))
	c.w.WriteHeader(http.StatusOK)
	_, err = io.Copy(c.w, f)
	if err != nil {
		h.log.WithError(err).WithField("blob", hexsum).Warn("blob download interrupted")
	}
	return nil
}

func (h *Hub) runIdempotent(c *call, op func() (*response, error)) error {
	resp, replayed, err := h.idempotent(c.idem, op)
	if err != nil {
		return err
	}
	writeRaw(c.w, resp, replayed)
	return nil
}

func (h *Hub) handleCreate(c *call) error {
	var req api.TransferRequest
	if err := api.DecodeStrictBytes(c.body, &req); err != nil {
		return err
	}
	return h.runIdempotent(c, func() (*response, error) { return h.createTransfer(c.agency, req, c.idem) })
}

func (h *Hub) handleStatus(c *call) error {
	var req api.StatusRequest
	if err := api.DecodeStrictBytes(c.body, &req); err != nil {
		return err
	}
	id := c.r.PathValue("id")
	return h.runIdempotent(c, func() (*response, error) { return h.changeStatus(c.agency, id, c.ifMatch, req, c.idem) })
}

func (h *Hub) handleAck(c *call) error {
	var req api.AckRequest
	if err := api.DecodeStrictBytes(c.body, &req); err != nil {
		return err
	}
	resp, err := h.ackTransfer(c.agency, c.r.PathValue("id"), req)
	if err != nil {
		return err
	}
	writeRaw(c.w, resp, false)
	return nil
}

func (h *Hub) handleRecall(c *call) error {
	var req api.RecallRequest
	if len(c.body) > 0 {
		if err := api.DecodeStrictBytes(c.body, &req); err != nil {
			return err
		}
	}
	resp, err := h.recallTransfer(c.agency, c.r.PathValue("id"), req)
	if err != nil {
		return err
	}
	writeRaw(c.w, resp, false)
	return nil
}

func (h *Hub) handleGet(c *call) error {
	t, err := h.getTransfer(c.agency, c.r.PathValue("id"))
	if err != nil {
		return err
	}
	c.w.Header().Set(api.HeaderETag, api.ETag(t.Version))
	return writeJSON(c.w, http.StatusOK, t)
}

func queryInt(c *call, name string, def int) int {
	if v := c.r.URL.Query().Get(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func (h *Hub) handleList(c *call) error {
	q := c.r.URL.Query()
	page, err := h.listTransfers(c.agency, q.Get("role"), q.Get("cursor"), queryInt(c, "limit", api.DefaultLimit))
	if err != nil {
		return err
	}
	return writeJSON(c.w, http.StatusOK, page)
}

func (h *Hub) handleInbox(c *call) error {
	wait := time.Duration(queryInt(c, "wait", 0)) * time.Second
	page, err := h.inbox(c.r.Context(), c.agency, c.r.URL.Query().Get("cursor"), queryInt(c, "limit", api.DefaultLimit), wait)
	if err != nil {
		return err
	}
	return writeJSON(c.w, http.StatusOK, page)
}
