package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/api"
)

// BenchmarkTransfers hands 1,000 dossiers from a commune to a department
// through a real hub on loopback (real bbolt file, fsync per write, OpenAPI
// validation, logging to a discarded logrus). Blob uploads are NOT included:
// each transfer is one POST /v1/transfers with a ~1.5 KB dossier and no scans.
// Sub-benchmarks vary the number of concurrent senders. Reported: transfers/s,
// p50 and p99 latency of one POST in ms.
func BenchmarkTransfers(b *testing.B) {
	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("senders=%d", workers), func(b *testing.B) {
			const total = 1000
			logger := logrus.New()
			logger.SetOutput(&bytes.Buffer{})
			logger.SetLevel(logrus.WarnLevel)
			h, err := OpenWith(b.TempDir(), Options{Logger: logger, RateLimit: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			key, _ := h.AddAgency(commune, "UBND xã", "")
			if _, err := h.AddAgency(dept, "Sở", ""); err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h.Handler())
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = workers

			var lat []time.Duration
			var n int
			b.ResetTimer()
			start := time.Now()
			for it := 0; it < b.N; it++ {
				var mu sync.Mutex
				var wg sync.WaitGroup
				next := make(chan int)
				for range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range next {
							req := sample(dept)
							req.Dossier.DossierCode = fmt.Sprintf("%s-260115-%d-%d", commune, it, i)
							body, _ := json.Marshal(req)
							r, _ := http.NewRequest("POST", srv.URL+"/v1/transfers", bytes.NewReader(body))
							r.Header.Set("Authorization", "Bearer "+key)
							r.Header.Set("Content-Type", api.MediaJSON)
							r.Header.Set(api.HeaderIdempotencyKey, fmt.Sprintf("b-%d-%d", it, i))
							t0 := time.Now()
							resp, err := client.Do(r)
							d := time.Since(t0)
							if err != nil {
								b.Error(err)
								return
							}
							resp.Body.Close()
							if resp.StatusCode != http.StatusCreated {
								b.Errorf("status %d", resp.StatusCode)
								return
							}
							mu.Lock()
							lat = append(lat, d)
							mu.Unlock()
						}
					}()
				}
				for i := range total {
					next <- i
				}
				close(next)
				wg.Wait()
				n += total
			}
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(n)/elapsed.Seconds(), "transfers/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		})
	}
}
