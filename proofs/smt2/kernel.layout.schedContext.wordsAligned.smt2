; obligation: kernel.layout.schedContext.wordsAligned
; statement: every schedContext field word and array word is 8-byte aligned in an object aligned to its 2^7 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.schedContext.wordsAligned
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun schedContext () (_ BitVec 64))
(declare-fun scRefillsIndex () (_ BitVec 64))
(assert
 (bvule schedContext (_ bv281474976710655 64)))
(assert
 (= (bvand schedContext (_ bv127 64)) (_ bv0 64)))
(assert
 (bvult scRefillsIndex (_ bv4 64)))
(assert
 (let ((?x0 (bvand (bvadd (bvadd schedContext (_ bv96 64)) (bvmul scRefillsIndex (_ bv8 64))) (_ bv7 64))))
 (let (($x1 (and (= (bvand (bvadd schedContext (_ bv0 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd schedContext (_ bv8 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x2 (and (and $x1 (= (bvand (bvadd schedContext (_ bv16 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd schedContext (_ bv24 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x3 (and (and $x2 (= (bvand (bvadd schedContext (_ bv32 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd schedContext (_ bv40 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x4 (and (and $x3 (= (bvand (bvadd schedContext (_ bv48 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd schedContext (_ bv56 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x5 (and (and $x4 (= (bvand (bvadd schedContext (_ bv64 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd schedContext (_ bv72 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x6 (and (and $x5 (= (bvand (bvadd schedContext (_ bv80 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd schedContext (_ bv88 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x7 (and $x6 (= ?x0 (_ bv0 64)))))
 (not $x7))))))))))
(check-sat)
