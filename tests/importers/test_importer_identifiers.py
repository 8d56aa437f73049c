"""Links to identifiers: every kind of link the lists use, normalised."""

from __future__ import annotations

import pytest

from synthkg.importers.identifiers import Identifier, from_link

CASES = [
    # arXiv: abs, pdf, versions, old style, arXiv DOIs
    ("https://arxiv.org/abs/2505.03335", "arxiv", "2505.03335"),
    ("https://arxiv.org/abs/2401.10020v2", "arxiv", "2401.10020"),
    ("http://arxiv.org/pdf/2401.10020v13.pdf", "arxiv", "2401.10020"),
    ("https://arxiv.org/pdf/2409.18169", "arxiv", "2409.18169"),
    ("https://www.arxiv.org/abs/1412.6572", "arxiv", "1412.6572"),
    ("https://arxiv.org/abs/hep-th/9901001", "arxiv", "hep-th/9901001"),
    ("https://arxiv.org/abs/hep-th/9901001v3", "arxiv", "hep-th/9901001"),
    ("https://arxiv.org/abs/math.GT/0309136", "arxiv", "math.GT/0309136"),
    ("https://doi.org/10.48550/arXiv.2407.05174", "arxiv", "2407.05174"),
    ("https://doi.org/10.48550/ARXIV.2407.05174", "arxiv", "2407.05174"),
    ("arXiv:2310.02255v1", "arxiv", "2310.02255"),
    # DOIs: doi.org, dx.doi.org, case, publisher pages
    ("https://doi.org/10.1109/CVPR52733.2024.00705", "doi", "10.1109/cvpr52733.2024.00705"),
    ("http://dx.doi.org/10.1109/TVCG.2025.3567053", "doi", "10.1109/tvcg.2025.3567053"),
    ("https://doi.org/10.18653/v1/2024.emnlp-main.680", "doi", "10.18653/v1/2024.emnlp-main.680"),
    (
        "https://link.springer.com/chapter/10.1007/978-3-031-85856-7_26",
        "doi",
        "10.1007/978-3-031-85856-7_26",
    ),
    ("https://dl.acm.org/doi/10.1145/3627673.3679122", "doi", "10.1145/3627673.3679122"),
    ("https://dl.acm.org/doi/pdf/10.1145/3627673.3679122", "doi", "10.1145/3627673.3679122"),
    # OpenReview: forum and pdf, case kept, other parameters ignored
    ("https://openreview.net/forum?id=BPgK5XW1Nb", "openreview", "BPgK5XW1Nb"),
    ("https://openreview.net/pdf?id=z4AMrCOetn", "openreview", "z4AMrCOetn"),
    (
        "https://openreview.net/forum?id=xaqoZZqkPU&utm_source=ainews&utm_medium=email",
        "openreview",
        "xaqoZZqkPU",
    ),
    ("https://openreview.net/forum?id=-cqvvvb-NkI", "openreview", "-cqvvvb-NkI"),
    # NeurIPS proceedings on both hosts, abstract and pdf
    (
        "http://papers.nips.cc/paper_files/paper/2024/hash/"
        "ba2e53000899e45e6018f639cb7469fa-Abstract-Conference.html",
        "neurips",
        "ba2e53000899e45e6018f639cb7469fa",
    ),
    (
        "https://proceedings.neurips.cc/paper_files/paper/2024/file/"
        "BA2E53000899E45E6018F639CB7469FA-Paper-Conference.pdf",
        "neurips",
        "ba2e53000899e45e6018f639cb7469fa",
    ),
    (
        "https://proceedings.neurips.cc/paper/2020/hash/"
        "3a797b10ff20562b1ecee0d4e914c1c7-Abstract.html",
        "neurips",
        "3a797b10ff20562b1ecee0d4e914c1c7",
    ),
    # CVF open access: html and pdf, new and old folder names
    (
        "https://openaccess.thecvf.com/content/CVPR2024/html/"
        "Wang_DetDiffusion_CVPR_2024_paper.html",
        "cvf",
        "CVPR2024/Wang_DetDiffusion_CVPR_2024_paper",
    ),
    (
        "https://openaccess.thecvf.com/content/CVPR2024/papers/"
        "Wang_DetDiffusion_CVPR_2024_paper.pdf",
        "cvf",
        "CVPR2024/Wang_DetDiffusion_CVPR_2024_paper",
    ),
    (
        "http://openaccess.thecvf.com/content_cvpr_2018/html/"
        "Puig_VirtualHome_Simulating_Household_CVPR_2018_paper.html",
        "cvf",
        "CVPR2018/Puig_VirtualHome_Simulating_Household_CVPR_2018_paper",
    ),
    (
        "https://openaccess.thecvf.com/content_CVPR_2020/papers/Yin_Dreaming_CVPR_2020_paper.pdf",
        "cvf",
        "CVPR2020/Yin_Dreaming_CVPR_2020_paper",
    ),
    # PMLR
    ("https://proceedings.mlr.press/v202/gao23e.html", "pmlr", "v202/gao23e"),
    ("https://proceedings.mlr.press/v202/gao23e/gao23e.pdf", "pmlr", "v202/gao23e"),
    ("http://proceedings.mlr.press/v229/zitkovich23a", "pmlr", "v229/zitkovich23a"),
    # ACL Anthology, with or without trailing slash or .pdf
    ("https://aclanthology.org/2024.lrec-main.1460", "acl", "2024.lrec-main.1460"),
    ("https://aclanthology.org/2025.coling-main.733/", "acl", "2025.coling-main.733"),
    ("https://aclanthology.org/2023.acl-long.754.pdf", "acl", "2023.acl-long.754"),
    ("https://aclanthology.org/P19-1001/", "acl", "P19-1001"),
    # IJCAI
    ("https://www.ijcai.org/proceedings/2024/735", "ijcai", "2024/735"),
    ("https://www.ijcai.org/proceedings/2024/0735.pdf", "ijcai", "2024/735"),
]


@pytest.mark.parametrize(("link", "scheme", "value"), CASES)
def test_link_gives_normalised_identifier(link: str, scheme: str, value: str) -> None:
    found = from_link(link)
    assert found is not None
    assert (found.scheme, found.value) == (scheme, value)


def test_canonical_iris() -> None:
    expected = {
        "https://arxiv.org/pdf/2401.10020v2": "https://arxiv.org/abs/2401.10020",
        "http://dx.doi.org/10.1109/TVCG.2025.3567053": "https://doi.org/10.1109/tvcg.2025.3567053",
        "https://openreview.net/pdf?id=z4AMrCOetn": "https://openreview.net/forum?id=z4AMrCOetn",
        "https://proceedings.mlr.press/v202/gao23e/gao23e.pdf": (
            "https://proceedings.mlr.press/v202/gao23e.html"
        ),
        "https://aclanthology.org/2025.coling-main.733/": (
            "https://aclanthology.org/2025.coling-main.733"
        ),
        "https://openaccess.thecvf.com/content/CVPR2024/papers/X_CVPR_2024_paper.pdf": (
            "https://openaccess.thecvf.com/content/CVPR2024/html/X_CVPR_2024_paper.html"
        ),
        "http://papers.nips.cc/paper_files/paper/2024/hash/"
        "ba2e53000899e45e6018f639cb7469fa-Abstract-Conference.html": (
            "https://proceedings.neurips.cc/paper_files/paper/2024/hash/"
            "ba2e53000899e45e6018f639cb7469fa-Abstract-Conference.html"
        ),
    }
    for link, iri in expected.items():
        found = from_link(link)
        assert found is not None and found.iri == iri, link


def test_same_work_compares_equal_across_link_forms() -> None:
    assert from_link("https://arxiv.org/abs/2401.10020v2") == from_link(
        "https://doi.org/10.48550/arXiv.2401.10020"
    )
    assert from_link("https://doi.org/10.1109/CVPR52733.2024.00705") == from_link(
        "https://dx.doi.org/10.1109/cvpr52733.2024.00705"
    )
    assert from_link("https://openreview.net/forum?id=AbC") != from_link(
        "https://openreview.net/forum?id=abc"
    )


@pytest.mark.parametrize(
    "link",
    [
        "https://par.nsf.gov/servlets/purl/10376663",
        "https://scholar.google.com/scholar?q=Omniverse%20Replicator",
        "https://github.com/example/project",
        "https://arxiv.org/list/cs.LG/recent",
        "https://openreview.net/group?id=ICLR.cc/2024/Conference",
    ],
)
def test_other_links_are_plain_urls(link: str) -> None:
    found = from_link(link)
    assert found is not None and found.scheme == "url"
    assert found.value.startswith("https://")


def test_url_cleaning_drops_tracking_and_escapes() -> None:
    found = from_link("https://example.org/a paper?utm_source=x&page=2")
    assert found is not None
    assert found.value == "https://example.org/a%20paper?page=2"


def test_no_identifier_for_anchors_or_empty() -> None:
    assert from_link("#1-methodologies") is None
    assert from_link("  ") is None


@pytest.mark.parametrize(
    ("identifier", "slug"),
    [
        (Identifier("arxiv", "2505.03335"), "arxiv-2505.03335"),
        (Identifier("arxiv", "hep-th/9901001"), "arxiv-hep-th-9901001"),
        (Identifier("doi", "10.1109/cvpr52733.2024.00705"), "doi-10.1109_cvpr52733.2024.00705"),
        (Identifier("openreview", "BPgK5XW1Nb"), "openreview-BPgK5XW1Nb"),
        (Identifier("pmlr", "v202/gao23e"), "pmlr-v202-gao23e"),
        (Identifier("ijcai", "2024/735"), "ijcai-2024-735"),
        (Identifier("acl", "2024.lrec-main.1460"), "acl-2024.lrec-main.1460"),
        (Identifier("cvf", "CVPR2024/Wang_X_paper"), "cvf-cvpr2024_wang_x_paper"),
    ],
)
def test_paper_slugs(identifier: Identifier, slug: str) -> None:
    assert identifier.paper_slug() == slug


def test_url_slug_is_a_sha1_prefix() -> None:
    slug = Identifier("url", "https://par.nsf.gov/servlets/purl/10376663").paper_slug()
    assert slug.startswith("url-") and len(slug) == 16
    assert all(c in "0123456789abcdef" for c in slug[4:])


def test_url_cleaning_keeps_the_spelling_of_other_parameters() -> None:
    found = from_link("https://scholar.google.com/scholar?q=Omniverse%20Replicator%3A%20AI")
    assert found is not None
    assert found.value == "https://scholar.google.com/scholar?q=Omniverse%20Replicator%3A%20AI"
    only_tracking = from_link("https://example.org/page?utm_source=feed")
    assert only_tracking is not None and only_tracking.value == "https://example.org/page"
