package correlate

import "github.com/trackcorr/trackcorr/kalman"

// The tracks' posteriors are stored packed, kalman.State.Pack's mean and upper triangle
// (StatePackedLen(n) values per slot: 112 bytes in 2-D, 216 with Axes 3, instead of a
// 728-byte kalman.State), so that the passes of a tick over 100,000 tracks move a
// sixth of the memory. Packing is exact: every covariance the tracker stores is exactly
// symmetric.

// postLen returns the number of values of one slot's packed posterior.
func (t *Tracker) postLen() int { return kalman.StatePackedLen(t.n) }

// postSlot returns slot's packed posterior.
func (t *Tracker) postSlot(slot int32) []float64 {
	pl := t.postLen()
	o := int(slot) * pl
	return t.post[o : o+pl : o+pl]
}

// loadPost writes slot's posterior into st.
func (t *Tracker) loadPost(st *kalman.State, slot int32) {
	if err := st.Unpack(t.postSlot(slot), t.n); err != nil {
		panic("correlate: corrupt posterior: " + err.Error()) // stored by storePost only
	}
}

// storePost stores st as slot's posterior.
func (t *Tracker) storePost(slot int32, st *kalman.State) { st.Pack(t.postSlot(slot)[:0]) }

// postMean returns component i of slot's posterior mean.
func (t *Tracker) postMean(slot int32, i int) float64 { return t.post[int(slot)*t.postLen()+i] }

// packedAt returns covariance entry (i, j) of the packed state x of dimension n.
func packedAt(x []float64, n, i, j int) float64 {
	if i > j {
		i, j = j, i
	}
	return x[packedIndex(n, i, j)]
}

// packedIndex is the index of covariance entry (i, j), i ≤ j, in a packed state of
// dimension n.
func packedIndex(n, i, j int) int {
	// row i of the upper triangle starts at n + Σ_{r<i} (n − r)
	return n + i*n - i*(i-1)/2 + j - i
}

// unpackTo writes the packed state x of dimension n into dst as a row-major mean
// (n values) followed by the full n×n covariance.
func unpackTo(dst, x []float64, n int) {
	if n == 4 {
		// unrolled: the 2-D state
		d, b := (*[20]float64)(dst), (*[14]float64)(x)
		d[0], d[1], d[2], d[3] = b[0], b[1], b[2], b[3]
		d[4], d[5], d[6], d[7] = b[4], b[5], b[6], b[7]
		d[8], d[9], d[10], d[11] = b[5], b[8], b[9], b[10]
		d[12], d[13], d[14], d[15] = b[6], b[9], b[11], b[12]
		d[16], d[17], d[18], d[19] = b[7], b[10], b[12], b[13]
		return
	}
	copy(dst[:n], x[:n])
	c := dst[n : n+n*n]
	k := n
	for a := 0; a < n; a++ {
		row := x[k : k+n-a]
		for b, v := range row {
			c[a*n+a+b] = v
			c[(a+b)*n+a] = v
		}
		k += n - a
	}
}

// zeroPost is one slot's packed posterior at creation.
var zeroPost [kalman.MaxDim + kalman.MaxDim*(kalman.MaxDim+1)/2]float64
