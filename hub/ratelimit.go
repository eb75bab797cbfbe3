package hub

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per key id.
type limiter struct {
	rate  float64 // tokens per second; ≤ 0 disables
	burst float64
	mu    sync.Mutex
	b     map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), b: map[string]*bucket{}}
}

// allow takes one token for key, or says how long until one is available.
func (l *limiter) allow(key string, now time.Time) (ok bool, retry time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.b) >= 10000 {
		l.sweep(now)
	}
	b := l.b[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.b[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep forgets the buckets that have refilled (one per client address would
// otherwise grow without bound under a flood from many addresses).
func (l *limiter) sweep(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.b {
		if now.Sub(b.last) > full {
			delete(l.b, k)
		}
	}
}
