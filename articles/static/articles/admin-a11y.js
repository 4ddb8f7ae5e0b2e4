// Names for the admin's autocomplete inputs.  Select2 builds its own
// combobox and search box beside each hidden <select>, with no label; each
// gets the label of the field it stands for (screen readers announced
// "edit text" with no name).  Select2 also puts its "clear" button inside
// the list of chosen items, where only list items belong; it is moved just
// before the list (its click handler is on the whole box, so it still
// works).  Rows added to inlines, and each re-render, are handled as they come.
"use strict";
(function () {
    function labelFor(select) {
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        if (label) {
            return label.textContent.replace(/[:：]\s*$/, "").trim();
        }
        // Inline rows: the column header of the cell.
        const cell = select.closest("td");
        const table = select.closest("table");
        if (cell && table) {
            const header = table.querySelectorAll("thead th")[cell.cellIndex];
            if (header) {
                return header.textContent.trim();
            }
        }
        return "";
    }

    function name(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            const text = labelFor(select);
            const widget = select.nextElementSibling;
            if (!text || !widget || !widget.classList.contains("select2")) {
                return;
            }
            widget.querySelectorAll(".select2-selection__rendered > span").forEach(
                function (stray) {
                    stray.parentNode.parentNode.insertBefore(stray, stray.parentNode);
                }
            );
            widget.querySelectorAll(".select2-selection, .select2-search__field").forEach(
                function (el) {
                    if (!el.getAttribute("aria-label")) {
                        el.setAttribute("aria-label", text);
                    }
                }
            );
        });
    }

    window.addEventListener("load", function () {
        name(document);
        new MutationObserver(function () {
            name(document);
        }).observe(document.body, {childList: true, subtree: true});
    });
})();
