; obligation: kernel.layout.schedContext.wordsInsideObject
; statement: every schedContext field word and array word lies inside the object: offset + 8 <= 2^7
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.schedContext.wordsInsideObject
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
 (let ((?x0 (bvadd schedContext (_ bv128 64))))
 (let ((?x1 (bvadd (bvadd schedContext (_ bv96 64)) (bvmul scRefillsIndex (_ bv8 64)))))
 (let (($x2 (and (bvule schedContext (bvadd schedContext (_ bv0 64))) (bvule (bvadd (bvadd schedContext (_ bv0 64)) (_ bv8 64)) ?x0))))
 (let (($x3 (and (and $x2 (bvule schedContext (bvadd schedContext (_ bv8 64)))) (bvule (bvadd (bvadd schedContext (_ bv8 64)) (_ bv8 64)) ?x0))))
 (let (($x4 (and (and $x3 (bvule schedContext (bvadd schedContext (_ bv16 64)))) (bvule (bvadd (bvadd schedContext (_ bv16 64)) (_ bv8 64)) ?x0))))
 (let (($x5 (and (and $x4 (bvule schedContext (bvadd schedContext (_ bv24 64)))) (bvule (bvadd (bvadd schedContext (_ bv24 64)) (_ bv8 64)) ?x0))))
 (let (($x6 (and (and $x5 (bvule schedContext (bvadd schedContext (_ bv32 64)))) (bvule (bvadd (bvadd schedContext (_ bv32 64)) (_ bv8 64)) ?x0))))
 (let (($x7 (and (and $x6 (bvule schedContext (bvadd schedContext (_ bv40 64)))) (bvule (bvadd (bvadd schedContext (_ bv40 64)) (_ bv8 64)) ?x0))))
 (let (($x8 (and (and $x7 (bvule schedContext (bvadd schedContext (_ bv48 64)))) (bvule (bvadd (bvadd schedContext (_ bv48 64)) (_ bv8 64)) ?x0))))
 (let (($x9 (and (and $x8 (bvule schedContext (bvadd schedContext (_ bv56 64)))) (bvule (bvadd (bvadd schedContext (_ bv56 64)) (_ bv8 64)) ?x0))))
 (let (($x10 (and (and $x9 (bvule schedContext (bvadd schedContext (_ bv64 64)))) (bvule (bvadd (bvadd schedContext (_ bv64 64)) (_ bv8 64)) ?x0))))
 (let (($x11 (and (and $x10 (bvule schedContext (bvadd schedContext (_ bv72 64)))) (bvule (bvadd (bvadd schedContext (_ bv72 64)) (_ bv8 64)) ?x0))))
 (let (($x12 (and (and $x11 (bvule schedContext (bvadd schedContext (_ bv80 64)))) (bvule (bvadd (bvadd schedContext (_ bv80 64)) (_ bv8 64)) ?x0))))
 (let (($x13 (and (and $x12 (bvule schedContext (bvadd schedContext (_ bv88 64)))) (bvule (bvadd (bvadd schedContext (_ bv88 64)) (_ bv8 64)) ?x0))))
 (let (($x14 (and (and $x13 (bvule schedContext ?x1)) (bvule (bvadd ?x1 (_ bv8 64)) ?x0))))
 (not $x14)))))))))))))))))
(check-sat)
