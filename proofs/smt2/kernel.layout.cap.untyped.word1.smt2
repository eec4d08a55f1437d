; obligation: kernel.layout.cap.untyped.word1
; statement: untyped_cap[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.untyped.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capBlockSize () (_ BitVec 64))
(declare-fun capIsDevice () (_ BitVec 64))
(declare-fun capFreeIndex () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand capBlockSize (_ bv63 64))))
 (let ((?x1 (bvand (bvor (bvand word (_ bv65535 64)) (bvshl (bvand capFreeIndex (_ bv281474976710655 64)) (_ bv16 64))) (_ bv18446744073709551551 64))))
 (let ((?x2 (bvor (bvand (bvor ?x1 (bvshl (bvand capIsDevice (_ bv1 64)) (_ bv6 64))) (_ bv18446744073709551552 64)) (bvshl ?x0 (_ bv0 64)))))
 (let (($x3 (and (= (bvand ?x2 (_ bv65408 64)) (bvand word (_ bv65408 64))) (= (bvand (bvlshr ?x2 (_ bv16 64)) (_ bv281474976710655 64)) (bvand capFreeIndex (_ bv281474976710655 64))))))
 (let (($x4 (and $x3 (= (bvand (bvlshr ?x2 (_ bv6 64)) (_ bv1 64)) (bvand capIsDevice (_ bv1 64))))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv63 64)) ?x0))))
 (not $x5))))))))
(check-sat)
