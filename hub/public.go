package hub

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"

	"motcua/api"
)

// Public status and the citizens' look-up (central-api.md v1.1): each office
// publishes the public face of its dossiers; anyone with a dossier code (the
// QR on the receipt) reads it as JSON or as the /tra-cuu page.

var bPublic = []byte("public") // dossier code → publicRecord

type publicRecord struct {
	Agency    string           `json:"agency"`
	Status    api.PublicStatus `json:"status"`
	UpdatedAt time.Time        `json:"updated_at"`
}

func init() {
	newBuckets = append(newBuckets, bPublic)
	routes = append(routes,
		route{method: "PUT", path: "/v1/public-status/{dossier_code}", auth: true, body: jsonBody, handle: (*Hub).handlePutPublicStatus},
		route{method: "GET", path: "/v1/public/lookup", perAddress: true, handle: (*Hub).handleLookup},
		route{method: "GET", path: "/tra-cuu", page: true, handle: (*Hub).handleLookupPage}, // limits per address itself (a 429 page)
	)
}

func (h *Hub) handlePutPublicStatus(c *call) error {
	var req api.PublicStatus
	if err := api.DecodeStrictBytes(c.body, &req); err != nil {
		return err
	}
	code := c.r.PathValue("dossier_code")
	if !strings.HasPrefix(code, c.agency+"-") {
		return problem(api.CodeNotFound, "no such dossier of this agency")
	}
	if req.DueAt.IsZero() == false && req.DueAt.Before(req.ReceivedAt) {
		return problem(api.CodeValidationFailed, "due_at is before received_at", api.FieldError{Pointer: "/due_at", Detail: "must not be before received_at"})
	}
	for _, s := range []*string{&req.ProcedureCode, &req.ProcedureName, &req.AgencyName, &req.ApplicantMasked} {
		*s = norm.NFC.String(strings.TrimSpace(*s))
	}
	var out api.PublicLookup
	err := h.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPublic)
		var rec publicRecord
		err := getJSON(b, []byte(code), &rec)
		if err != nil && err != errNotFound {
			return err
		}
		if err == errNotFound || req.Version > rec.Status.Version {
			rec = publicRecord{Agency: c.agency, Status: req, UpdatedAt: h.now()}
			if err := putJSON(b, []byte(code), rec); err != nil {
				return err
			}
		}
		out = lookupOf(code, rec)
		return nil
	})
	if err != nil {
		return err
	}
	return writeJSON(c.w, http.StatusOK, out)
}

func lookupOf(code string, rec publicRecord) api.PublicLookup {
	s := rec.Status
	return api.PublicLookup{
		DossierCode: code, ProcedureName: s.ProcedureName, AgencyName: s.AgencyName,
		StatusCode: s.StatusCode, StatusName: api.StatusNames[s.StatusCode],
		ReceivedAt: s.ReceivedAt, DueAt: s.DueAt, FinishedAt: s.FinishedAt, ReturnedAt: s.ReturnedAt,
		ApplicantMasked: s.ApplicantMasked, UpdatedAt: rec.UpdatedAt,
	}
}

// Lookup returns the public face of a dossier, or ok=false.
func (h *Hub) Lookup(code string) (out api.PublicLookup, ok bool, err error) {
	code = strings.TrimSpace(code)
	err = h.db.View(func(tx *bolt.Tx) error {
		var rec publicRecord
		switch err := getJSON(tx.Bucket(bPublic), []byte(code), &rec); err {
		case nil:
			out, ok = lookupOf(code, rec), true
			return nil
		case errNotFound:
			return nil
		default:
			return err
		}
	})
	return out, ok, err
}

func (h *Hub) handleLookup(c *call) error {
	out, ok, err := h.Lookup(c.r.URL.Query().Get("code"))
	if err != nil {
		return err
	}
	if !ok {
		return problem(api.CodeNotFound, "no dossier has this code")
	}
	c.w.Header().Set("Cache-Control", "no-store")
	return writeJSON(c.w, http.StatusOK, out)
}

// clientAddress is the caller's IP address (the hub is reached directly or
// through a proxy that the administrator rate-limits itself; forwarded
// headers are not trusted).
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limitAddress is the per-address token bucket of the public look-up.
func (h *Hub) limitAddress(c *call) error {
	ok, retry := h.byAddr.allow("ip:"+clientAddress(c.r), time.Now())
	if ok {
		return nil
	}
	secs := int(math.Ceil(retry.Seconds()))
	if secs < 1 {
		secs = 1
	}
	c.w.Header().Set(api.HeaderRetryAfter, strconv.Itoa(secs))
	return problem(api.CodeRateLimited, fmt.Sprintf("too many look-ups from this address; retry in %d s", secs))
}

//go:embed tracuu.html
var pageFS embed.FS

var lookupPage = template.Must(template.New("tracuu.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		t = t.In(Vietnam)
		return fmt.Sprintf("%02d:%02d, %s %02d/%02d/%d", t.Hour(), t.Minute(), weekday[t.Weekday()], t.Day(), t.Month(), t.Year())
	},
}).ParseFS(pageFS, "tracuu.html"))

var weekday = [...]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}

// pageData is what the /tra-cuu page shows.
type pageData struct {
	Code      string
	Found     bool
	Limited   bool
	Retry     int
	L         api.PublicLookup
	Tone      string // ok, wait, act, stop, done
	Headline  string // the status in plain words
	Explain   string
	Bring     []string // what to bring when collecting the result
	Late      bool
	ShowDue   bool // the appointment in the status box: the citizen's next date
	Checked   time.Time
	Submitted bool
}

// describe says the status in words a citizen understands.
func describe(d *pageData, now time.Time) {
	l := d.L
	switch l.StatusCode {
	case api.StatusReceived, api.StatusProcessing, api.StatusSupplement, api.StatusPaymentRequired:
		d.ShowDue = !l.DueAt.IsZero()
	}
	switch l.StatusCode {
	case api.StatusSubmitted:
		d.Tone, d.Headline = "wait", "Hồ sơ trực tuyến đang chờ tiếp nhận"
		d.Explain = "Cơ quan đã nhận hồ sơ ông/bà nộp trực tuyến và sẽ kiểm tra trong ngày làm việc tiếp theo. Khi hồ sơ được tiếp nhận, ông/bà sẽ nhận được giấy tiếp nhận và ngày hẹn trả kết quả."
	case api.StatusReceived, api.StatusProcessing:
		d.Tone, d.Headline = "wait", "Hồ sơ đang được giải quyết"
		d.Explain = "Kết quả chưa có. Ông/bà chưa cần đến cơ quan; vui lòng tra cứu lại vào ngày hẹn trả."
		d.Late = !l.DueAt.IsZero() && now.After(l.DueAt)
	case api.StatusSupplement:
		d.Tone, d.Headline = "act", "Cần bổ sung giấy tờ"
		d.Explain = "Cơ quan đề nghị ông/bà bổ sung, hoàn thiện hồ sơ. Vui lòng đến Bộ phận Một cửa (hoặc xem Phiếu yêu cầu bổ sung đã gửi) để biết giấy tờ cần bổ sung."
	case api.StatusPaymentRequired:
		d.Tone, d.Headline = "act", "Cần nộp phí, lệ phí hoặc nghĩa vụ tài chính"
		d.Explain = "Hồ sơ đang chờ ông/bà thực hiện nghĩa vụ tài chính. Sau khi nộp, hồ sơ sẽ được tiếp tục giải quyết."
	case api.StatusRefused:
		d.Tone, d.Headline = "stop", "Hồ sơ không được tiếp nhận"
		d.Explain = "Lý do được ghi trong Phiếu từ chối tiếp nhận giải quyết hồ sơ đã gửi cho ông/bà."
	case api.StatusWithdrawn:
		d.Tone, d.Headline = "stop", "Hồ sơ đã được rút theo đề nghị của người nộp"
		d.Explain = "Cơ quan không tiếp tục giải quyết hồ sơ này."
	case api.StatusStopped:
		d.Tone, d.Headline = "stop", "Hồ sơ đã dừng xử lý"
		d.Explain = "Lý do được ghi trong thông báo dừng xử lý đã gửi cho ông/bà. Vui lòng liên hệ Bộ phận Một cửa nếu cần giải thích thêm."
	case api.StatusResolved:
		d.Tone, d.Headline = "ok", "Đã có kết quả — mời ông/bà đến nhận"
		d.Explain = "Kết quả đã sẵn sàng tại Bộ phận Một cửa của " + l.AgencyName + ", trong giờ hành chính."
		d.Bring = []string{
			"Giấy tiếp nhận hồ sơ và hẹn trả kết quả (bản có mã QR này);",
			"Căn cước công dân (hoặc giấy tờ tùy thân) của người nhận;",
			"Nếu nhận thay: văn bản ủy quyền và giấy tờ tùy thân của người được ủy quyền;",
			"Biên lai phí, lệ phí (nếu còn phải nộp).",
		}
	case api.StatusReturned:
		d.Tone, d.Headline = "done", "Đã trả kết quả"
		d.Explain = "Kết quả đã được trao cho người nộp hồ sơ. Hồ sơ đã hoàn thành."
	default:
		d.Tone, d.Headline = "wait", l.StatusName
	}
}

func (h *Hub) handleLookupPage(c *call) error {
	w := c.w
	d := pageData{Code: strings.TrimSpace(c.r.URL.Query().Get("ma")), Checked: h.now()}
	if len(d.Code) > 64 {
		d.Code = d.Code[:64]
	}
	status := http.StatusOK
	if ok, retry := h.byAddr.allow("page:"+clientAddress(c.r), time.Now()); !ok {
		d.Limited, d.Retry = true, int(math.Max(1, math.Ceil(retry.Seconds())))
		w.Header().Set(api.HeaderRetryAfter, strconv.Itoa(d.Retry))
		status = http.StatusTooManyRequests
	} else if d.Code != "" {
		d.Submitted = true
		l, ok, err := h.Lookup(d.Code)
		if err != nil {
			return err
		}
		if ok {
			d.Found, d.L = true, l
			describe(&d, h.opts.Now())
		} else {
			status = http.StatusNotFound
		}
	}
	var buf bytes.Buffer
	if err := lookupPage.Execute(&buf, d); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
