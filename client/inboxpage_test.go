package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"motcua/api"
)

func TestDecodeInboxPageSurvivesBadEvents(t *testing.T) {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	body := []byte(`{"events":[` +
		`{"id":"e1","seq":1,"type":"transfer.accepted","transfer_id":"t1","version":2,"occurred_at":"2026-01-15T09:00:00+07:00","data":{}},` +
		`{"id":"e2","seq":2,"type":"transfer.received","transfer_id":"t2","version":1,"occurred_at":"2026-01-15T09:00:00+07:00","data":{"transfer":{"dossier":{"form_data":{"x":` + deep + `,"s":"]]]"}}}}},` +
		`{"id":"e3","seq":"three"},` +
		`{"id":"e4","seq":4,"type":"transfer.recalled","transfer_id":"t3","version":2,"occurred_at":"2026-01-15T09:00:00+07:00","data":{}}` +
		`],"next_cursor":"c4","has_more":false}`)
	var whole api.InboxPage
	if json.Unmarshal(body, &whole) == nil {
		t.Fatal("encoding/json read the page whole: the test does not test anything")
	}
	page, skipped, err := decodeInboxPage(body)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range page.Events {
		ids = append(ids, e.ID)
	}
	if fmt.Sprint(ids) != "[e1 e2 e4]" || len(skipped) != 1 || page.NextCursor != "c4" {
		t.Fatalf("events %v, skipped %v, cursor %q", ids, skipped, page.NextCursor)
	}
	// the deep value is cut to null below 64 levels; its siblings are intact
	if fd := page.Events[1].Data.Transfer.Dossier.FormData; fd["s"] != "]]]" || !strings.Contains(fmt.Sprint(fd["x"]), "[<nil>]") {
		t.Fatalf("form_data %v", fd)
	}
}

// FuzzDecodeInboxPage: any bytes; never a panic; on a valid page every event
// is either decoded or reported skipped, and nothing deeper than the bound
// reaches the decoder.
func FuzzDecodeInboxPage(f *testing.F) {
	f.Add([]byte(`{"events":[{"id":"e1","seq":1,"data":{"transfer":{"dossier":{"form_data":{"a":[[[[1]]]]}}}}}],"next_cursor":"x","has_more":true}`))
	f.Add([]byte(`{"events":[` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `]}`))
	f.Add([]byte(`{"events":[{"id":"\"]}"}]}`))
	f.Add([]byte(`{"events":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page, skipped, err := decodeInboxPage(body)
		if err != nil {
			return
		}
		var raw struct {
			Events []json.RawMessage `json:"events"`
		}
		if json.Unmarshal(flattenDeep(body, maxEventDepth), &raw) != nil {
			t.Fatalf("decoded a page the raw reader rejects: %q", body)
		}
		if len(page.Events)+len(skipped) != len(raw.Events) {
			t.Fatalf("%d events + %d skipped of %d", len(page.Events), len(skipped), len(raw.Events))
		}
		if d, _ := api.JSONDepth(flattenDeep(body, maxEventDepth), 1<<30); d > maxEventDepth {
			t.Fatalf("flattened depth %d", d)
		}
	})
}
