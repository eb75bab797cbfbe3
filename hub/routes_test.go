package hub

import (
	"strings"
	"testing"

	"motcua/api"
)

// TestRoutesMatchDocument: every route the hub serves is in the OpenAPI
// document, and every operation of the document is served.
func TestRoutesMatchDocument(t *testing.T) {
	doc, err := api.LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, rt := range routes {
		served[rt.method+" "+rt.path] = true
		item := doc.Paths.Value(rt.path)
		if item == nil || item.GetOperation(rt.method) == nil {
			t.Errorf("%s %s is served but not in openapi.yaml", rt.method, rt.path)
			continue
		}
		op := item.GetOperation(rt.method)
		secured := op.Security == nil || len(*op.Security) > 0
		if secured != rt.auth {
			t.Errorf("%s %s: document security %v, hub auth %v", rt.method, rt.path, secured, rt.auth)
		}
		for _, h := range []struct {
			name string
			want bool
		}{{api.HeaderIdempotencyKey, rt.idempotent}, {api.HeaderIfMatch, rt.ifMatch}} {
			p := op.Parameters.GetByInAndName("header", h.name)
			if p == nil {
				p = item.Parameters.GetByInAndName("header", h.name)
			}
			if (p != nil && p.Required) != h.want {
				t.Errorf("%s %s: header %s required in the document = %v, hub = %v", rt.method, rt.path, h.name, p != nil, h.want)
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[strings.ToUpper(method)+" "+path] {
				t.Errorf("%s %s is in openapi.yaml but not served", method, path)
			}
		}
	}
}
