package spatial

import "math"

// curveOrder holds the reusable buffers of a space-filling-curve sort: after
// o.sort(boxes), o.perm lists the box indices in the order of the Hilbert curve through
// their centres. The sort is an LSD radix sort on keys of up to 32 bits (4 to 16 bits
// per axis over the bounding square of the centres), so it costs O(n), is stable, and
// allocates only when the buffers grow. The same pass records what runLimit needs.
type curveOrder struct {
	perm      []int32
	key       []uint32
	kp, kpTmp []uint64 // during the sort: key << 32 | index, one word moved per pass

	hist       [130]int32 // widths of the boxes, by widthBin
	minX, minY float64    // bounds of the centres
	maxX, maxY float64
}

// maxCurveBits bounds the resolution of the curve: at most 2^16 cells per axis, fewer
// for small n (at least 16 cells per box), in steps of 4 bits.
const maxCurveBits = 16

// radixDigit is the widest digit of the radix sort, in bits.
const radixDigit = 12

// sort fills o.perm with the indices of boxes in Hilbert order of their centres.
// Boxes must be finite.
func (o *curveOrder) sort(boxes []Box) {
	n := len(boxes)
	o.perm = resizeInt32(o.perm, n)
	o.key = resizeUint32(o.key, n)
	o.kp = resizeUint64(o.kp, n)
	o.kpTmp = resizeUint64(o.kpTmp, n)
	clear(o.hist[:])
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i := range boxes {
		b := &boxes[i]
		o.hist[widthBin(boxWidth(b))]++
		x, y := 0.5*b.Min[0]+0.5*b.Max[0], 0.5*b.Min[1]+0.5*b.Max[1]
		if x < minX {
			minX = x
		}
		if x > maxX {
			maxX = x
		}
		if y < minY {
			minY = y
		}
		if y > maxY {
			maxY = y
		}
	}
	o.minX, o.minY, o.maxX, o.maxY = minX, minY, maxX, maxY
	if n == 0 {
		return
	}
	bits := 4
	for bits < maxCurveBits && 1<<(2*bits) < 16*n {
		bits += 4
	}
	ext := math.Max(maxX-minX, maxY-minY)
	scale := 0.0
	if ext > 0 && !math.IsInf(ext, 0) {
		scale = float64(uint32(1)<<bits-1) / ext
	}
	for i := range boxes {
		b := &boxes[i]
		x, y := 0.5*b.Min[0]+0.5*b.Max[0], 0.5*b.Min[1]+0.5*b.Max[1]
		o.kp[i] = uint64(hilbertKey(uint32((x-minX)*scale), uint32((y-minY)*scale), bits))<<32 | uint64(i)
	}
	// Stable counting passes, least significant digit first.
	keyBits := uint(2 * bits)
	passes := (keyBits + radixDigit - 1) / radixDigit
	digit := (keyBits + passes - 1) / passes
	mask := uint64(1)<<digit - 1
	kp, kpTmp := o.kp, o.kpTmp
	var count [1<<radixDigit + 1]int32
	for shift := 32 + uint(0); shift < 32+keyBits; shift += digit {
		clear(count[:mask+2])
		for _, k := range kp {
			count[(k>>shift)&mask+1]++
		}
		if count[(kp[0]>>shift)&mask+1] == int32(n) {
			continue // every key has the same digit here
		}
		for d := uint64(1); d <= mask+1; d++ {
			count[d] += count[d-1]
		}
		for _, k := range kp {
			d := (k >> shift) & mask
			p := count[d]
			count[d] = p + 1
			kpTmp[p] = k
		}
		kp, kpTmp = kpTmp, kp
	}
	o.kp, o.kpTmp = kp, kpTmp
	for i, k := range kp {
		o.perm[i], o.key[i] = int32(uint32(k)), uint32(k>>32)
	}
}

// runLimit returns the largest side of a run (or group) of up to k of the boxes last
// sorted: room for k boxes at their mean spacing plus twice their 90th-percentile
// width; +Inf when the boxes give no finite scale.
func (o *curveOrder) runLimit(k int) float64 {
	n := len(o.perm)
	want, acc, w90 := int32(n-n/10), int32(0), 0.0
	for bin := range o.hist {
		acc += o.hist[bin]
		if acc >= want {
			w90 = binUpper(bin)
			break
		}
	}
	ex, ey := o.maxX-o.minX, o.maxY-o.minY
	spacing := math.Sqrt(ex * ey / float64(max(n, 1)))
	if !(spacing > 0) {
		spacing = math.Max(ex, ey) / float64(max(n, 1))
	}
	l := 2*math.Sqrt(float64(k))*spacing + 2*w90
	if !(l > 0) || math.IsInf(l, 0) {
		return math.Inf(1)
	}
	return l
}

// hilbertStep is the Hilbert curve as a state machine: the state is the orientation of
// the current quadrant (bit 1: x and y swapped, bit 0: both complemented), and
// hilbertStep[state<<2 | xbit<<1 | ybit] holds the new state << 2 | the quadrant's
// position along the curve (0..3).
var hilbertStep = func() (t [16]uint8) {
	for s := range uint8(4) {
		for q := range uint8(4) {
			rx, ry := q>>1, q&1
			if s&1 != 0 {
				rx, ry = rx^1, ry^1
			}
			if s&2 != 0 {
				rx, ry = ry, rx
			}
			ns := s
			if ry == 0 {
				if rx == 1 {
					ns ^= 1
				}
				ns ^= 2
			}
			t[s<<2|q] = ns<<2 | (3 * rx) ^ ry
		}
	}
	return t
}()

// hilbertStep4 is hilbertStep over four levels at once: hilbertStep4[state<<8 |
// xnibble<<4 | ynibble] holds the new state << 8 | the 8 bits of curve position.
var hilbertStep4 = func() (t [1024]uint16) {
	for s := range uint16(4) {
		for xy := range uint16(256) {
			x, y := xy>>4, xy&15
			st, d := s, uint16(0)
			for b := 3; b >= 0; b-- {
				e := uint16(hilbertStep[st<<2|(x>>b&1)<<1|y>>b&1])
				d = d<<2 | e&3
				st = e >> 2
			}
			t[s<<8|xy] = st<<8 | d
		}
	}
	return t
}()

// hilbertKey returns the position of cell (x, y), each below 2^bits, along the Hilbert
// curve of order bits; bits is a multiple of 4.
func hilbertKey(x, y uint32, bits int) uint32 {
	var d, s uint32
	for b := bits - 4; b >= 0; b -= 4 {
		e := uint32(hilbertStep4[s<<8|(x>>b&15)<<4|y>>b&15])
		d = d<<8 | e&0xff
		s = e >> 8
	}
	return d
}

func resizeUint64(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	return s[:n]
}

func resizeUint32(s []uint32, n int) []uint32 {
	if cap(s) < n {
		return make([]uint32, n)
	}
	return s[:n]
}
