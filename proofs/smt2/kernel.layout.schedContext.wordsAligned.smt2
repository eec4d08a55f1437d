; obligation: kernel.layout.schedContext.wordsAligned
; statement: every schedContext field word is 8-byte aligned in an object aligned to its 2^7 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.schedContext.wordsAligned
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun schedContext () (_ BitVec 64))
(assert
 (bvule schedContext (_ bv281474976710655 64)))
(assert
 (= (bvand schedContext (_ bv127 64)) (_ bv0 64)))
(assert
 (let (($x0 (and (= (bvand (bvadd schedContext (_ bv24 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd schedContext (_ bv32 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x1 (and $x0 (= (bvand (bvadd schedContext (_ bv64 64)) (_ bv7 64)) (_ bv0 64)))))
 (not $x1))))
(check-sat)
