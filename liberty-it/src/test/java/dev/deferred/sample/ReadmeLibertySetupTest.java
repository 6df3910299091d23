package dev.deferred.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * The README's "Running on Open Liberty" snippets and the sample's server.xml and pom.xml, which
 * the integration tests run, must not drift apart: same features, same HTTP endpoint and driver
 * library, same datasource shape, same driver copy.
 */
class ReadmeLibertySetupTest {
  private static Element readmeServer;
  private static Element sampleServer;
  private static Element readmeCopy;
  private static Element sampleCopy;

  @BeforeAll
  static void read() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("\n## Running on Open Liberty\n");
    assertThat(start).as("README section 'Running on Open Liberty'").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    List<String> blocks = new ArrayList<>();
    Matcher m =
        Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL)
            .matcher(readme.substring(start, end < 0 ? readme.length() : end));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("xml blocks of the section").hasSizeGreaterThanOrEqualTo(2);
    readmeServer = parse(blocks.get(0));
    readmeCopy = parse(blocks.get(1));
    sampleServer = parse(Files.readString(Path.of("src/main/liberty/config/server.xml")));
    NodeList copies =
        parse(Files.readString(Path.of("pom.xml"))).getElementsByTagName("copyDependencies");
    assertThat(copies.getLength()).isEqualTo(1);
    sampleCopy = (Element) copies.item(0);
  }

  private static Element parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document d =
        f.newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return d.getDocumentElement();
  }

  private static Element only(Element root, String tag) {
    NodeList nodes = root.getElementsByTagName(tag);
    assertThat(nodes.getLength()).as("<%s> elements", tag).isEqualTo(1);
    return (Element) nodes.item(0);
  }

  private static TreeSet<String> texts(Element root, String tag) {
    TreeSet<String> texts = new TreeSet<>();
    NodeList nodes = root.getElementsByTagName(tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().trim());
    }
    return texts;
  }

  private static Map<String, String> attributes(Element e) {
    Map<String, String> map = new TreeMap<>();
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      map.put(attrs.item(i).getNodeName(), attrs.item(i).getNodeValue());
    }
    return map;
  }

  private static String variable(Element server, String name) {
    NodeList nodes = server.getElementsByTagName("variable");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element v = (Element) nodes.item(i);
      if (v.getAttribute("name").equals(name)) {
        return v.getAttribute("defaultValue");
      }
    }
    return null;
  }

  @Test
  void sameFeatures() {
    assertThat(texts(readmeServer, "feature")).isEqualTo(texts(sampleServer, "feature"));
  }

  @Test
  void sameHttpEndpointOnTheDefaultHttpPortVariable() {
    assertThat(attributes(only(readmeServer, "httpEndpoint")))
        .isEqualTo(attributes(only(sampleServer, "httpEndpoint")))
        .containsEntry("httpPort", "${default.http.port}");
    assertThat(variable(readmeServer, "default.http.port"))
        .isEqualTo(variable(sampleServer, "default.http.port"))
        .isEqualTo("9080");
  }

  @Test
  void sameDriverLibrary() {
    assertThat(attributes(only(readmeServer, "fileset")))
        .isEqualTo(attributes(only(sampleServer, "fileset")));
  }

  @Test
  void sameDatasourceShape() {
    Element readme = only(readmeServer, "dataSource");
    Element sample = only(sampleServer, "dataSource");
    assertThat(attributes(readme).keySet()).isEqualTo(attributes(sample).keySet());
    assertThat(readme.getAttribute("type"))
        .isEqualTo(sample.getAttribute("type"))
        .isEqualTo("javax.sql.XADataSource");

    Map<String, String> readmeDriver = attributes(only(readme, "jdbcDriver"));
    Map<String, String> sampleDriver = attributes(only(sample, "jdbcDriver"));
    assertThat(readmeDriver.keySet()).isEqualTo(sampleDriver.keySet());
    assertThat(readmeDriver.get("xaDataSourceClassName"))
        .isEqualTo(sampleDriver.get("xaDataSourceClassName"));
    assertThat(readmeDriver.get("libraryRef"))
        .isEqualTo(only(readmeServer, "library").getAttribute("id"));

    Map<String, String> readmeProps = attributes(only(readme, "properties"));
    Map<String, String> sampleProps = attributes(only(sample, "properties"));
    assertThat(readmeProps.keySet()).isEqualTo(sampleProps.keySet());
    // The sample names its URL through a server variable, which the multi-instance tests set.
    assertThat(sampleProps.get("URL")).isEqualTo("${sample.db.url}");
    for (String url : List.of(readmeProps.get("URL"), variable(sampleServer, "sample.db.url"))) {
      assertThat(url).matches("jdbc:h2:mem:[a-z]+;DB_CLOSE_DELAY=-1");
    }
  }

  @Test
  void sameDriverCopy() {
    assertThat(only(readmeCopy, "location").getTextContent())
        .isEqualTo(only(sampleCopy, "location").getTextContent());
    assertThat(only(readmeCopy, "stripVersion").getTextContent())
        .isEqualTo(only(sampleCopy, "stripVersion").getTextContent());
    assertThat(only(readmeCopy, "groupId").getTextContent())
        .isEqualTo(only(sampleCopy, "groupId").getTextContent());
    assertThat(only(readmeCopy, "artifactId").getTextContent())
        .isEqualTo(only(sampleCopy, "artifactId").getTextContent());
  }
}
