; obligation: kernel.layout.notification.wordsAligned
; statement: every notification field word is 8-byte aligned in an object aligned to its 2^6 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.notification.wordsAligned
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun notification () (_ BitVec 64))
(assert
 (bvule notification (_ bv281474976710655 64)))
(assert
 (= (bvand notification (_ bv63 64)) (_ bv0 64)))
(assert
 (let (($x0 (and (= (bvand (bvadd notification (_ bv0 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd notification (_ bv8 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x1 (and (and $x0 (= (bvand (bvadd notification (_ bv16 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd notification (_ bv24 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x2 (and (and $x1 (= (bvand (bvadd notification (_ bv32 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd notification (_ bv40 64)) (_ bv7 64)) (_ bv0 64)))))
 (not $x2)))))
(check-sat)
